import Testing
@testable import RecoveryFlows

@Suite("SOI: a temporary password pasted with white space around it")
struct SOIPastedPasswordTests {
    @Test("spaces and line breaks around a temporary password are dropped; anything else is kept as typed")
    func cleaned() {
        let temporary = "Ab3d-Ef4h-Jk6m-Np7q-Rt9u-Vw3x"
        for pasted in [" \(temporary) ", "\n\(temporary)\r\n", "\t\(temporary)", "\u{00A0}\(temporary)\n"] {
            #expect(SOIPastedPassword.cleaned(pasted) == temporary)
        }
        #expect(SOIPastedPassword.cleaned(temporary) == temporary)
        #expect(SOIPastedPassword.cleaned(" mi clave elegida ") == " mi clave elegida ", "a chosen password is never trimmed")
        #expect(SOIPastedPassword.cleaned(" Ab3d-Ef4h ") == " Ab3d-Ef4h ", "two groups is not a temporary password")
        #expect(SOIPastedPassword.cleaned(" Ab3d Ef4h-Jk6m-Np7q-Rt9u-Vw3x ") == " Ab3d Ef4h-Jk6m-Np7q-Rt9u-Vw3x ")
        #expect(SOIPastedPassword.cleaned(" Ab3d-Ef4h-Jk6m-Np7q-Rt9u-Vw3ñ ") == " Ab3d-Ef4h-Jk6m-Np7q-Rt9u-Vw3ñ ")
    }
}
