import Foundation

extension SECOPRecovery {
    /// The recovery steps over the shell's context: its store, templates, hashing pool, clock,
    /// public URL, senders, outbox wake-up and the login route's throttle.
    init(context: AppContext) {
        self.init(database: context.database,
                  composer: EmailComposer(templates: context.templates, senders: context.configuration.senders),
                  hashPassword: { password in try context.hashingPool.run { try context.hasher.hash(password) } },
                  policy: SECOPPasswordPolicy(commonPasswords: context.commonPasswords),
                  configuration: SECOPRecoveryConfiguration(publicURL: context.configuration.publicURL.absoluteString),
                  clock: context.clock, wakeOutbox: context.wakeOutbox, logger: context.logger,
                  loginThrottleKeys: { user in
                      // The login counts attempts per typed user name: the account's own name is that key.
                      user.username.map { [context.rateLimiter.identifierKey(route: SECOPPortal.RecoveryLimit.login, identifier: $0)] } ?? []
                  })
    }
}
