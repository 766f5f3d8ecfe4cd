import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a child process with `posix_spawn`: its stdout and stderr on fresh pipes, stdin on
/// /dev/null, in `directory`, in a process group of its own, with every signal at its default
/// disposition and none blocked. (Foundation's `Process` passes on the spawning thread's signal mask
/// and ignored signals, so an agent started from a worker would never see its SIGTERM.)
struct AgentSpawn {
    let pid: pid_t
    /// Read ends, owned by the caller from now on.
    let stdout: Int32
    let stderr: Int32

    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        var description: String {
            switch self {
            case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    static func start(executable: String, arguments: [String], environment: [String: String], directory: String) throws(Failure) -> AgentSpawn {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard pipe(&out) == 0 else { throw .system("pipe", errno) }
        guard pipe(&err) == 0 else {
            let code = errno
            close(out[0]); close(out[1])
            throw .system("pipe", code)
        }
        // Only the dup2'd copies (0, 1, 2) reach the agent; nothing else of ours does.
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        if let addChdir = Self.addChdir { _ = addChdir(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // The child has its copies; the parent keeps only the read ends.
        close(out[1])
        close(err[1])
        guard status == 0 else {
            close(out[0]); close(err[0])
            throw .system("posix_spawn \(executable)", status)
        }
        return AgentSpawn(pid: pid, stdout: out[0], stderr: err[0])
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not
    /// import. Without it the agent inherits the worker's directory; every path it is given is absolute.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// SIGKILLs what is left of the process group `leader` led (the agent's helpers, e.g. the VizDoom
    /// engine). No process can take the group's id while a member is alive, so no stranger is hit.
    static func killGroup(_ leader: pid_t) {
        #if canImport(Glibc)
        _ = Glibc.kill(-leader, SIGKILL)
        #else
        _ = Darwin.kill(-leader, SIGKILL)
        #endif
    }

    /// Blocks until the child exits and reaps it.
    static func wait(for pid: pid_t) -> AgentExit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}
