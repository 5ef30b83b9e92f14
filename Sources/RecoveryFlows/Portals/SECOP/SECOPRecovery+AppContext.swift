import Foundation

extension SECOPRecovery {
    /// The recovery steps over the shell's context: its store, templates, hashing pool, clock,
    /// public URL and outbox wake-up; senders from ``EmailSenders/fromEnvironment()``.
    init(context: AppContext) throws {
        self.init(database: context.database,
                  composer: EmailComposer(templates: context.templates, senders: .fromEnvironment()),
                  hashPassword: { password in try context.hashingPool.run { try context.hasher.hash(password) } },
                  policy: SECOPPasswordPolicy(commonPasswords: context.commonPasswords),
                  configuration: SECOPRecoveryConfiguration(publicURL: context.configuration.publicURL.absoluteString),
                  clock: { context.now }, wakeOutbox: context.wakeOutbox, logger: context.logger)
    }
}
