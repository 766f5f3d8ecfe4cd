import ArgumentParser
import Foundation
import PlaytestCore
import PlaytestServices

/// `playtest user create|list|set-role|disable|enable|delete` on the configured database, as the local administrator.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users on the configured database.",
        subcommands: [Create.self, List.self, SetRole.self, Disable.self, Enable.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user (the password is read from PLAYTEST_NEW_PASSWORD or stdin).")
        @Argument(help: "E-mail address.") var email: String
        @Option(help: "admin, user or viewer.") var role: Role = .user
        @Option(help: "Full name.") var name: String?

        func run() async throws {
            let password = try CommandLineAccounts.password()
            try await CommandLineAccounts.with { services in
                let user = try await services.accounts.createUser(
                    email: email, password: password, fullName: name, role: role, by: .local, ip: nil)
                print("created \(user.role.rawValue) \(user.email) (\(user.id))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        func run() async throws {
            try await CommandLineAccounts.with { services in
                for user in try await services.accounts.list(by: .local).users {
                    print([user.id, user.email, user.role.rawValue, user.isActive ? "active" : "disabled"].joined(separator: "\t"))
                }
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change a user's role.")
        @Argument(help: "E-mail address or user id.") var user: String
        @Argument(help: "admin, user or viewer.") var role: Role
        func run() async throws {
            try await CommandLineAccounts.with { services in
                let id = try await CommandLineAccounts.userID(user, services)
                let changed = try await services.accounts.setRole(userID: id, to: role, by: .local, ip: nil)
                print("\(changed.email) is now \(changed.role.rawValue)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: their sessions, tokens and keys stop working at once.")
        @Argument(help: "E-mail address or user id.") var user: String
        func run() async throws {
            try await CommandLineAccounts.with { services in
                let id = try await CommandLineAccounts.userID(user, services)
                print("\(try await services.accounts.setActive(userID: id, false, by: .local, ip: nil).email) disabled")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user.")
        @Argument(help: "E-mail address or user id.") var user: String
        func run() async throws {
            try await CommandLineAccounts.with { services in
                let id = try await CommandLineAccounts.userID(user, services)
                print("\(try await services.accounts.setActive(userID: id, true, by: .local, ip: nil).email) enabled")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user, with their maps and runs or handing them to another user.")
        @Argument(help: "E-mail address or user id.") var user: String
        @Option(name: .customLong("reassign-to"), help: "Give the user's maps and runs to this user instead of deleting them.") var heir: String?
        func run() async throws {
            try await CommandLineAccounts.with { services in
                let id = try await CommandLineAccounts.userID(user, services)
                let work: OwnedWork = if let heir { .reassign(toUserID: try await CommandLineAccounts.userID(heir, services)) } else { .delete }
                try await services.accounts.delete(userID: id, work: work, by: .local, ip: nil)
                print("deleted \(user)")
            }
        }
    }
}

/// `playtest api-key create|list|revoke`.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key", abstract: "Manage API keys on the configured database.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for a user; it is printed once.")
        @Option(help: "The user the key acts as (e-mail address or id).") var user: String
        @Option(help: "A name to tell keys apart.") var name: String
        @Option(name: .customLong("expires-in-days"), help: "Days until it expires (default: never).") var days: Int?
        func run() async throws {
            try await CommandLineAccounts.with { services in
                let id = try await CommandLineAccounts.userID(user, services)
                let created = try await services.accounts.createKey(name: name, expiresInDays: days, for: id, by: .local, ip: nil)
                print(created.key)
                FileHandle.standardError.write(Data("key \(created.apiKey.prefix) (\(created.apiKey.id)) for \(user); it is not shown again\n".utf8))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every key (never the keys themselves).")
        func run() async throws {
            try await CommandLineAccounts.with { services in
                for key in try await services.accounts.keys(everyone: true, by: .local).apiKeys {
                    print([key.id, key.prefix, key.name, key.userID, key.isActive ? "active" : "revoked"].joined(separator: "\t"))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id.")
        @Argument(help: "The key's id.") var id: String
        func run() async throws {
            try await CommandLineAccounts.with { services in
                try await services.accounts.revokeKey(id: id, by: .local, ip: nil)
                print("revoked \(id)")
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

/// The engines and services for one account command, closed afterwards.
enum CommandLineAccounts {
    static func with(_ body: (Services) async throws -> Void) async throws {
        try await Bootstrap.withServices(failure: "") { services, _ in try await body(services) }
    }

    /// An e-mail address or a user id.
    static func userID(_ text: String, _ services: Services) async throws -> String {
        guard text.contains("@") else { return text }
        guard let user = try await services.accounts.list(by: .local).users.first(where: { $0.email == text.lowercased() }) else {
            throw StartupError(message: "no user has the e-mail address \(text)")
        }
        return user.id
    }

    /// PLAYTEST_NEW_PASSWORD, else the first line of standard input (never an argument: it would show in `ps`).
    static func password() throws -> String {
        if let password = ProcessInfo.processInfo.environment["PLAYTEST_NEW_PASSWORD"], !password.isEmpty { return password }
        FileHandle.standardError.write(Data("password: ".utf8))
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password given on standard input") }
        return line
    }
}
