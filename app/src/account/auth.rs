//! The client-side view of the session: who is signed in, the sign-in,
//! register and sign-out actions, and the timer that renews tokens.

use leptos::prelude::*;

use super::api::{ConfirmEmail, Register, SessionView, SignIn, SignOut, me, renew};
use crate::error::AppError;

/// Renew a minute before the access token expires (or at three quarters of
/// its life, for short test lifetimes).
/// After a failed `me`, try again this much later.
const RETRY_SECS: u64 = 30;

fn renew_delay_secs(expires_in: i64) -> u64 {
    (expires_in - 60).max(expires_in * 3 / 4).max(1) as u64
}

/// Provided once by `App`.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The signed-in user; refetched after every sign-in, confirmed
    /// registration, sign-out and renewal.
    pub user: Resource<Result<Option<SessionView>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub register: ServerAction<Register>,
    pub confirm: ServerAction<ConfirmEmail>,
    pub sign_out: ServerAction<SignOut>,
}

impl Auth {
    pub fn provide() -> Self {
        let sign_in = ServerAction::<SignIn>::new();
        let register = ServerAction::<Register>::new();
        let confirm = ServerAction::<ConfirmEmail>::new();
        let sign_out = ServerAction::<SignOut>::new();
        let user = Resource::new(
            move || (sign_in.version().get(), confirm.version().get(), sign_out.version().get()),
            |_| me(),
        );
        let auth = Self { user, sign_in, register, confirm, sign_out };
        provide_context(auth);
        auth.keep_alive();
        auth
    }

    /// In the browser: renews the tokens a minute before the access token
    /// expires, so a shopper on one page for an hour stays signed in.
    fn keep_alive(self) {
        let timer = StoredValue::new(None::<TimeoutHandle>);
        // Effects run only in the browser, and this one once the page has
        // hydrated (a refetch before would change what a lazy page renders).
        Effect::new(move |_| {
            if !crate::ui::hydrated() {
                return;
            }
            if let Some(Some(handle)) = timer.try_get_value() {
                handle.clear();
            }
            let user = self.user;
            let delay = match user.get() {
                Some(Ok(Some(session))) => renew_delay_secs(session.expires_in),
                // Could not ask (offline, server restarting): ask again in a while.
                Some(Err(_)) => RETRY_SECS,
                _ => return,
            };
            let handle = set_timeout_with_handle(
                move || {
                    leptos::task::spawn_local(async move {
                        // Success, a race with another tab, or an ended session:
                        // in every case `me` now tells the truth.
                        if matches!(user.get_untracked(), Some(Ok(Some(_)))) {
                            let _ = renew().await;
                        }
                        user.refetch();
                    });
                },
                std::time::Duration::from_secs(delay),
            )
            .ok();
            timer.set_value(handle);
        });
        on_cleanup(move || {
            if let Some(Some(handle)) = timer.try_get_value() {
                handle.clear();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn renews_before_expiry() {
        assert_eq!(super::renew_delay_secs(900), 840);
        assert_eq!(super::renew_delay_secs(8), 6);
        assert_eq!(super::renew_delay_secs(0), 1);
    }
}
