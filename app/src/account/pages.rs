//! `/sign-in`, `/register` and `/account`. Plain forms that post without
//! JavaScript (errors come back in the URL); hydrated, they post in place.

use crate::ui::{FormError, PageMeta, form_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::ChangePassword;
use super::auth::Auth;
use crate::error::AppError;

/// The frame of the sign-in and registration pages.
#[component]
fn AuthCard(
    title: &'static str,
    description: &'static str,
    error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    view! {
        <PageMeta title description robots="noindex" />
        <section class="auth-card">
            <h1>{title}</h1>
            <FormError error />
            {children()}
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = form_error(auth.sign_in);
    let register_href = move || format!("/register?next={}", encode(&next()));
    view! {
        <AuthCard title="Sign in" description="Sign in to your OctaBlitz account." error>
            <ActionForm action=auth.sign_in attr:class="stack">
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="sign-in-email">"E-mail"</label>
                    <input id="sign-in-email" name="email" type="email" autocomplete="username" required maxlength="254" />
                </div>
                <div class="field">
                    <label for="sign-in-password">"Password"</label>
                    <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required maxlength="128" />
                </div>
                <button class="button" type="submit">"Sign in"</button>
            </ActionForm>
            <p>"New to OctaBlitz? " <a href=register_href>"Create an account"</a></p>
        </AuthCard>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = form_error(auth.register);
    view! {
        <AuthCard title="Create an account" description="Create your OctaBlitz account." error>
            <ActionForm action=auth.register attr:class="stack">
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="register-email">"E-mail"</label>
                    <input id="register-email" name="email" type="email" autocomplete="email" required maxlength="254" />
                </div>
                <div class="field">
                    <label for="register-password">"Password"</label>
                    <input
                        id="register-password"
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength="8"
                        maxlength="128"
                        aria-describedby="password-rules"
                    />
                    <p id="password-rules" class="muted small">"At least 8 characters, with a letter and a digit."</p>
                </div>
                <div class="field">
                    <label for="register-confirm">"Repeat password"</label>
                    <input id="register-confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="128" />
                </div>
                <button class="button" type="submit">"Create account"</button>
            </ActionForm>
            <p>"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </AuthCard>
    }
}

/// Where registration ends, whether or not the address had an account.
#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <PageMeta title="Check your inbox" robots="noindex" />
        <section class="auth-card">
            <h1>"Check your inbox"</h1>
            <p role="status">
                "We have sent an e-mail to the address you gave. Open the link in it to finish creating your account."
            </p>
            <p class="muted small">
                "Nothing there after a few minutes? Look in your spam folder, or register again for a new link. \
                 Already have an account? "
                <a href="/sign-in">"Sign in"</a>
            </p>
        </section>
    }
}

/// `/confirm-email?token=…`: the link from the registration e-mail. Opening
/// it changes nothing (mail scanners open links too); the form does.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = form_error(auth.confirm);
    view! {
        <AuthCard title="Confirm your e-mail" description="Confirm your OctaBlitz account." error>
            <p>"Enter the password you chose when you registered to confirm your account and sign in."</p>
            <ActionForm action=auth.confirm attr:class="stack">
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="confirm-email-password">"Password"</label>
                    <input id="confirm-email-password" name="password" type="password" autocomplete="current-password" required maxlength="128" />
                </div>
                <button class="button" type="submit">"Confirm and sign in"</button>
            </ActionForm>
        </AuthCard>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let change = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let changed = move || query.read().get("password").as_deref() == Some("changed");
    let error = form_error(change);
    view! {
        <PageMeta title="Your account" description="Your OctaBlitz account." robots="noindex" />
        <section class="auth-card">
            <h1>"Your account"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    auth.user
                        .await
                        .ok()
                        .flatten()
                        .map(|session| {
                            let u = session.user;
                            let kind = if u.is_admin() { "Administrator" } else { "Customer" };
                            view! {
                                <dl class="profile">
                                    <dt>"E-mail"</dt>
                                    <dd>{u.email}</dd>
                                    <dt>"Account type"</dt>
                                    <dd>{kind}</dd>
                                </dl>
                            }
                        })
                })}
            </Suspense>
            <p><a class="button" href="/account/orders">"Your orders"</a></p>
            <h2>"Change password"</h2>
            {move || changed().then(|| view! { <p class="notice" role="status">"Password changed. Other devices have been signed out."</p> })}
            <FormError error />
            <ActionForm action=change attr:class="stack">
                <div class="field">
                    <label for="current-password">"Current password"</label>
                    <input id="current-password" name="current" type="password" autocomplete="current-password" required maxlength="128" />
                </div>
                <div class="field">
                    <label for="new-password">"New password"</label>
                    <input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
                </div>
                <div class="field">
                    <label for="confirm-password">"Repeat new password"</label>
                    <input id="confirm-password" name="confirm" type="password" autocomplete="new-password" required maxlength="128" />
                </div>
                <button class="button" type="submit">"Change password"</button>
            </ActionForm>
        </section>
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
