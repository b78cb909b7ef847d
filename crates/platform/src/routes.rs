//! The HTTP routes of the features, each remembered with its method and path.
//!
//! An axum `Router` cannot list what it routes. The authorisation matrix of issue 19
//! must: it calls every endpoint as every kind of user, and an endpoint added without
//! a row in the matrix has to fail it. So the features hand their routes to the server
//! as [`Routes`], which builds the router and keeps the list beside it.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, on};

/// One route: a method and a path pattern as axum writes it (`/api/v1/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: String,
}

/// An axum router and the endpoints it was given.
pub struct Routes<S = ()> {
    router: Router<S>,
    endpoints: Vec<Endpoint>,
}

impl<S> Default for Routes<S>
where
    S: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self {
            router: Router::new(),
            endpoints: Vec::new(),
        }
    }
}

impl<S> Routes<S>
where
    S: Clone + Send + Sync + 'static,
{
    pub fn new() -> Self {
        Self::default()
    }

    /// `GET` (and so `HEAD`) of `path`.
    pub fn get<H, T>(self, path: &str, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.route(Method::GET, path, axum::routing::get(handler))
    }

    /// `POST` of `path`.
    pub fn post<H, T>(self, path: &str, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.route(Method::POST, path, axum::routing::post(handler))
    }

    /// `OPTIONS` of `path` (a CORS preflight).
    pub fn options<H, T>(self, path: &str, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        let filter = axum::routing::MethodFilter::OPTIONS;
        self.route(Method::OPTIONS, path, on(filter, handler))
    }

    /// Answers the methods `path` has no handler for. axum's own 405 lists every method of
    /// the path pattern, which is wrong where one pattern stands for several resources.
    /// Not an endpoint: it only refuses.
    pub fn other_methods<H, T>(mut self, path: &str, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self
            .router
            .route(path, MethodRouter::new().fallback(handler));
        self
    }

    fn route(mut self, method: Method, path: &str, handler: MethodRouter<S>) -> Self {
        // axum joins the methods given to one path in separate calls.
        self.router = self.router.route(path, handler);
        self.endpoints.push(Endpoint {
            method,
            path: path.to_string(),
        });
        self
    }

    /// These routes and `other`'s.
    pub fn merge(mut self, other: Routes<S>) -> Self {
        self.router = self.router.merge(other.router);
        self.endpoints.extend(other.endpoints);
        self
    }

    /// Every endpoint, in the order the routes were given.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The router that serves them.
    pub fn into_router(self) -> Router<S> {
        self.router
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn routes_given_one_method_at_a_time_serve_each_and_are_listed() {
        let routes = Routes::<()>::new()
            .get("/things/{id}", || async { "read" })
            .merge(Routes::new().post("/things/{id}", || async { "written" }));
        assert_eq!(
            routes.endpoints(),
            [
                Endpoint {
                    method: Method::GET,
                    path: "/things/{id}".into()
                },
                Endpoint {
                    method: Method::POST,
                    path: "/things/{id}".into()
                },
            ]
        );
        let router = routes.into_router();
        for (method, expected) in [
            (Method::GET, StatusCode::OK),
            (Method::POST, StatusCode::OK),
            (Method::DELETE, StatusCode::METHOD_NOT_ALLOWED),
        ] {
            let request = Request::builder()
                .method(method.clone())
                .uri("/things/7")
                .body(Body::empty())
                .expect("request");
            let response = router.clone().oneshot(request).await.expect("answer");
            assert_eq!(response.status(), expected, "{method}");
        }
    }
}
