import NIOSSL
import Testing

@testable import Switchboard

/// The transport's TLS settings: full verification always, the configured CA bundle as the only roots.
@Suite struct TLSConfigurationTests {
    @Test func verificationIsAlwaysFullAndTheBundleReplacesTheSystemRoots() {
        let system = HTTPTransport.tlsConfiguration(caBundlePath: nil)
        #expect(system.certificateVerification == .fullVerification)
        #expect(system.trustRoots == nil || system.trustRoots == .default)
        let custom = HTTPTransport.tlsConfiguration(caBundlePath: "/etc/ssl/corporate.pem")
        #expect(custom.certificateVerification == .fullVerification)
        #expect(custom.trustRoots == .file("/etc/ssl/corporate.pem"))
    }
}
