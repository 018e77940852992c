import Foundation
import Testing

@testable import Switchboard

@Suite struct RequestIDsTests {
    @Test func uuidsAreLowercaseVersion4AndDistinct() throws {
        let ids = (0..<10_000).map { _ in RequestIDs.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            #expect(parsed.uuid.6 >> 4 == 4)
            #expect(parsed.uuid.8 >> 6 == 0b10)
        }
    }

    @Test func hexIdsAre32LowercaseDigits() {
        let id = RequestIDs.hex()
        #expect(id.count == 32)
        #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(RequestIDs.hex() != id)
    }
}
