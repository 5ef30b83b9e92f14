/// A value a page template reads that the app does not always provide, so strict templates
/// (``RecoveryFlows/AppConfiguration/strictTemplates``) fail the page with a 500.
///
/// Found when every test harness turned strict mode on; each case names the template, the line
/// strict mode stopped at and the value, for the portal engineers to fix (provide the value, or
/// read it under `{{#if}}`). Strict mode stops at the first missing value of a page, so a page may
/// hide more behind it. A test that renders such a page passes its gaps to the harness
/// (`AppHarness(templateGaps: [.secopLoginValues])`), which then renders leniently for that test
/// only; once a gap is fixed, delete its case and those tests run strict again.
public enum TemplateGap: String, Sendable, CaseIterable {
    /// The SECOP II login page without a form submitted (a plain GET) has no `valores`.
    case secopLoginValues = "secop/ingreso.html:10 reads valores.usuario"
    /// The SOI login page without a form submitted has no `valores`.
    case soiLoginValues = "soi/ingreso.html:16 reads valores.empresa_numero"
    /// The Cajacopi login page without a form submitted has no `valores`.
    case cajacopiLoginValues = "cajacopi/ingreso.html:10 reads valores.correo"
    /// SOI's "¿Olvidó su clave?" form without a form submitted has no `valores`.
    case soiRecoveryFormValues = "soi/olvido-clave.html:22 reads valores.aportante_numero"
    /// SECOP II's "Olvidé la contraseña" form, first shown, has no `usuario`.
    case secopRecoveryUsername = "secop/olvide-contrasena.html:24 reads usuario"
    /// SECOP II's "Olvidé el usuario" form, first shown, has no `correo`.
    case secopReminderEmail = "secop/olvide-usuario.html:23 reads correo"
}
