import Foundation

extension SECOPRecovery {
    /// The recovery steps over the shell's context: its store, templates, hashing pool, clock,
    /// public URL, senders and outbox wake-up.
    init(context: AppContext) {
        self.init(database: context.database,
                  composer: EmailComposer(templates: context.templates, senders: context.configuration.senders),
                  hashPassword: { password in try context.hashingPool.run { try context.hasher.hash(password) } },
                  policy: SECOPPasswordPolicy(commonPasswords: context.commonPasswords),
                  configuration: SECOPRecoveryConfiguration(publicURL: context.configuration.publicURL.absoluteString),
                  clock: context.clock, wakeOutbox: context.wakeOutbox, logger: context.logger)
    }
}
