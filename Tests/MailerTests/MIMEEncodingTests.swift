import Testing
@testable import Mailer
