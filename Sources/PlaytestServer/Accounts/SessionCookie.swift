import Foundation
import PlaytestServices
import Vapor

/// The browser's session cookie: HttpOnly, SameSite=Lax, Secure behind https.
enum SessionCookie {
    static let name = "playtest_session"

    static func set(_ session: BrowserSession, on response: Response, for request: Request, secure: Bool) {
        response.cookies[name] = HTTPCookies.Value(
            string: session.cookie, expires: session.expiresAt, path: "/", isSecure: secure || request.isSecure, isHTTPOnly: true,
            sameSite: .lax)
    }

    static func clear(on response: Response) {
        response.cookies[name] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isHTTPOnly: true, sameSite: .lax)
    }
}
