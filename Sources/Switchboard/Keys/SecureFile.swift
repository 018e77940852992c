import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing files only their owner may open.
enum SecureFile {
    /// The file's permission bits, or `nil` when it does not exist.
    static func permissions(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Whether the group or others have any permission on the file.
    static func isOpenToOthers(_ mode: mode_t) -> Bool { mode & 0o077 != 0 }

    /// Writes `bytes` to `path` atomically: a new file created with mode 0600 (never wider, whatever
    /// the umask), synced, then renamed over `path`.
    static func writeOwnerOnly(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let temporary = path + ".tmp-\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw KeyStoreError(
                kind: .unwritable, path: path, message: "could not create a file next to it (errno \(errno))")
        }
        var written = 0
        var failed = false
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result <= 0 {
                    failed = true
                    return
                }
                written += result
            }
        }
        if fchmod(descriptor, 0o600) != 0 || fsync(descriptor) != 0 { failed = true }
        close(descriptor)
        guard !failed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KeyStoreError(kind: .unwritable, path: path, message: "could not write the file (errno \(errno))")
        }
    }
}
