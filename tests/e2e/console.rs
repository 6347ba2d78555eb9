//! The console's front door through the binary: security headers, sign-in redirects, CSRF on
//! every state-changing request, security.txt, error pages.

use crate::support::{Server, temp_dir};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn console_is_locked_down_before_sign_in() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
    let client = no_redirects();

    let login = client
        .get(format!("{}/login", server.base_url))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let headers = login.headers().clone();
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        headers.get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
    let csrf_cookie = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("usher_csrf="))
        .expect("csrf cookie")
        .to_owned();
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"));
    let body = login.text().await.expect("body");
    assert!(body.contains("Sign in with a passkey"), "{body}");

    let dashboard = client
        .get(format!("{}/?since=7d", server.base_url))
        .send()
        .await
        .expect("page");
    assert_eq!(dashboard.status(), 303);
    assert_eq!(
        dashboard.headers()["location"],
        "/login?next=%2F%3Fsince%3D7d"
    );

    // A form post without the token is refused before any handler runs.
    let forged = client
        .post(format!("{}/logout", server.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("x=1")
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    assert!(
        forged
            .text()
            .await
            .expect("body")
            .contains("This form has expired")
    );

    // With the cookie and the matching field but from another site: refused too.
    let token = csrf_cookie
        .trim_start_matches("usher_csrf=")
        .split(';')
        .next()
        .expect("value")
        .to_owned();
    let cross_site = client
        .post(format!("{}/logout", server.base_url))
        .header("cookie", format!("usher_csrf={token}"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}"))
        .send()
        .await
        .expect("post");
    assert_eq!(cross_site.status(), 403);
    assert!(
        cross_site
            .text()
            .await
            .expect("body")
            .contains("USHER_PUBLIC_URL")
    );

    // With both and no session: the CSRF check passes and sign-in is what is missing.
    let unsigned = client
        .post(format!("{}/logout", server.base_url))
        .header("cookie", format!("usher_csrf={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}"))
        .send()
        .await
        .expect("post");
    assert_eq!(unsigned.status(), 401);

    let too_big = client
        .post(format!("{}/logout", server.base_url))
        .header("cookie", format!("usher_csrf={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&pad={}", "x".repeat(100_000)))
        .send()
        .await
        .expect("post");
    assert_eq!(too_big.status(), 413);

    let security_txt = server.get("/.well-known/security.txt").await;
    assert_eq!(security_txt.status(), 200);
    let text = security_txt.text().await.expect("body");
    assert!(
        text.contains("Contact: ") && text.contains("Expires: "),
        "{text}"
    );
    assert_eq!(server.get("/static/console.css").await.status(), 200);
    assert_eq!(server.get("/static/nope.js").await.status(), 404);
}
