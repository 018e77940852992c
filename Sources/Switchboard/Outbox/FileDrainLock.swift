import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file: held by one open file at a time, in this process or any other, and
/// released by the system when the holder closes it or ends — also when it is killed.
final class FileDrainLock: OutboxDrainLock {
    private let descriptor: Mutex<Int32?>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock on `path` (creating the file) without waiting; `nil` when it is held.
    static func acquire(path: String) throws -> FileDrainLock? {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return FileDrainLock(descriptor: descriptor)
    }

    func release() async { unlock() }

    deinit { unlock() }

    private func unlock() {
        guard
            let open = descriptor.withLock({ descriptor in
                defer { descriptor = nil }; return descriptor
            })
        else {
            return
        }
        flock(open, LOCK_UN)
        close(open)
    }
}
