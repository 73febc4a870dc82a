//! The product form, shared by the new-product and the product page: every
//! field of a product, the category's typed specs, and each field's error
//! beside it. It posts without JavaScript too; then an error or a conflict
//! comes back as the admin's draft, so nothing typed is lost either way.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::SaveProduct;
use super::catalog::{ProductEditor, SpecKind};
use crate::error::{AppError, FieldError, message};
use crate::ui::form_error;

/// What went wrong with `name`, from the last save in the page or the draft.
fn error_of(errors: &[FieldError], name: &str) -> Option<String> {
    errors.iter().find(|e| e.field == name).map(|e| e.message.clone())
}

#[component]
pub fn ProductFormView(
    editor: ProductEditor,
    save: ServerAction<SaveProduct>,
    /// The page's "something saved" counter: raised after a save in the page.
    saved: RwSignal<u32>,
) -> impl IntoView {
    let draft_errors = editor.draft.as_ref().map(|d| d.errors.clone()).unwrap_or_default();
    let failure = form_error(save);
    let errors = Signal::derive(move || match failure.get() {
        Some(AppError::Fields { fields }) => fields,
        Some(AppError::Validation { field, message }) if field != "form" => vec![FieldError { field, message }],
        Some(_) => Vec::new(),
        None => draft_errors.clone(),
    });
    let other_error = Signal::derive(move || match failure.get() {
        Some(AppError::Validation { field, message }) if field == "form" => Some(message),
        Some(AppError::Fields { .. } | AppError::Validation { .. }) | None => None,
        Some(e) => Some(message(&e)),
    });

    // After a save in the page: show the saved product (or the kept draft).
    // Only a save made since this form appeared counts: the page's action
    // still holds the save that led here.
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        let start = save.version().get_untracked();
        Effect::new(move |_| {
            if save.pending().get() || save.version().get() == start {
                return;
            }
            if let Some(Ok(outcome)) = save.value().get() {
                if matches!(outcome, super::catalog::SaveOutcome::Saved { .. }) {
                    saved.update(|n| *n += 1);
                }
                navigate(&outcome.page(), Default::default());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = saved;

    let f = editor.form;
    let field_error = move |name: &'static str| {
        let id = format!("err-{}", name.replace('.', "-"));
        move || error_of(&errors.get(), name).map(|m| view! { <p class="field-error" id=id.clone()>{m}</p> })
    };
    let invalid = move |name: &'static str| move || error_of(&errors.get(), name).is_some().then_some("true");
    let described = move |name: &'static str| {
        let id = format!("err-{}", name.replace('.', "-"));
        move || error_of(&errors.get(), name).is_some().then(|| id.clone())
    };
    let category_name =
        editor.categories.iter().find(|c| c.slug == f.category).map(|c| c.name.clone()).unwrap_or_default();
    let specs = editor.specs.into_iter().map(|s| {
        let name = format!("form[specs][{}]", s.key);
        let input_id = format!("spec-{}", s.key);
        let key = format!("specs.{}", s.key);
        let value = f.specs.get(&s.key).cloned().unwrap_or_default();
        let label = match &s.unit {
            Some(u) => format!("{} ({u})", s.label),
            None => s.label.clone(),
        };
        let message = {
            let key = key.clone();
            move || error_of(&errors.get(), &key).map(|m| view! { <p class="field-error">{m}</p> })
        };
        let control = match s.kind {
            SpecKind::Bool => view! {
                <select id=input_id.clone() name=name>
                    <option value="" selected=value.is_empty()>"Not given"</option>
                    <option value="Yes" selected=value == "Yes">"Yes"</option>
                    <option value="No" selected=value == "No">"No"</option>
                </select>
            }.into_any(),
            SpecKind::Number => view! {
                <input id=input_id.clone() name=name value=value inputmode="decimal" maxlength="20" autocomplete="off" />
            }.into_any(),
            SpecKind::Text => view! {
                <input id=input_id.clone() name=name value=value maxlength="100" autocomplete="off" />
            }.into_any(),
        };
        view! {
            <div class="field">
                <label for=input_id>{label}</label>
                {control}
                {message}
            </div>
        }
    }).collect_view();

    view! {
        {move || other_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        {move || (!errors.get().is_empty()).then(|| view! {
            <p class="form-error" role="alert">"Please correct the fields marked below: nothing was saved yet."</p>
        })}
        <ActionForm action=save attr:class="admin-form" attr:aria-label="Product">
            {f.id.map(|id| view! { <input type="hidden" name="form[id]" value=id /> })}
            <input type="hidden" name="form[version]" value=f.version />
            {editor.draft.as_ref().map(|d| view! { <input type="hidden" name="draft" value=d.id /> })}
            <fieldset>
                <legend>"Product"</legend>
                <div class="field">
                    <label for="p-name">"Name"</label>
                    <input id="p-name" name="form[name]" value=f.name.clone() required maxlength="200" autocomplete="off"
                        aria-invalid=invalid("name") aria-describedby=described("name") />
                    {field_error("name")}
                </div>
                <div class="field">
                    <label for="p-slug">"Address (slug)"</label>
                    <input id="p-slug" name="form[slug]" value=f.slug.clone() maxlength="120" autocomplete="off"
                        pattern="[a-z0-9]+(-[a-z0-9]+)*" aria-invalid=invalid("slug")
                        aria-describedby=move || described("slug")().unwrap_or_else(|| "p-slug-hint".into()) />
                    <p class="field__hint" id="p-slug-hint">"The product's address: /products/…. Left empty, it is made from the name."</p>
                    {field_error("slug")}
                </div>
                <div class="field">
                    <label for="p-sku">"SKU"</label>
                    <input id="p-sku" name="form[sku]" value=f.sku.clone() required maxlength="64" autocomplete="off"
                        aria-invalid=invalid("sku") aria-describedby=described("sku") />
                    {field_error("sku")}
                </div>
                <div class="field">
                    <label for="p-brand">"Brand"</label>
                    <input id="p-brand" name="form[brand]" value=f.brand.clone() required maxlength="80" list="p-brands" autocomplete="off"
                        aria-invalid=invalid("brand") aria-describedby=described("brand") />
                    <datalist id="p-brands">
                        {editor.brands.into_iter().map(|b| view! { <option value=b></option> }).collect_view()}
                    </datalist>
                    {field_error("brand")}
                </div>
                <div class="field">
                    <label for="p-category">"Category"</label>
                    <select id="p-category" name="form[category]" aria-invalid=invalid("category")
                        aria-describedby=move || described("category")().unwrap_or_else(|| "p-category-hint".into())>
                        {editor.categories.into_iter().map(|c| {
                            let selected = c.slug == f.category;
                            view! { <option value=c.slug selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field__hint" id="p-category-hint">"Changing the category drops the specs the new one does not have; save, then fill in its specs."</p>
                    {field_error("category")}
                </div>
                <div class="field">
                    <label for="p-short">"Short description"</label>
                    <input id="p-short" name="form[short_description]" value=f.short_description.clone() required maxlength="300"
                        aria-invalid=invalid("short_description") aria-describedby=described("short_description") />
                    {field_error("short_description")}
                </div>
                <div class="field">
                    <label for="p-description">"Description"</label>
                    <textarea id="p-description" name="form[description]" rows="8" maxlength="20000"
                        aria-invalid=invalid("description") aria-describedby=described("description")>{f.description.clone()}</textarea>
                    {field_error("description")}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Price and stock"</legend>
                <div class="field">
                    <label for="p-price">"Price (USD)"</label>
                    <input id="p-price" name="form[price]" value=f.price.clone() required inputmode="decimal" maxlength="12" autocomplete="off"
                        aria-invalid=invalid("price") aria-describedby=described("price") />
                    {field_error("price")}
                </div>
                <div class="field">
                    <label for="p-compare">"Compare-at price (USD, optional)"</label>
                    <input id="p-compare" name="form[compare_at]" value=f.compare_at.clone() inputmode="decimal" maxlength="12" autocomplete="off"
                        aria-invalid=invalid("compare_at")
                        aria-describedby=move || described("compare_at")().unwrap_or_else(|| "p-compare-hint".into()) />
                    <p class="field__hint" id="p-compare-hint">"The former price, shown struck through. A new price applies to new orders only."</p>
                    {field_error("compare_at")}
                </div>
                <div class="field">
                    <label for="p-threshold">"Low-stock threshold"</label>
                    <input id="p-threshold" name="form[threshold]" value=f.threshold.clone() required inputmode="numeric" maxlength="6" autocomplete="off"
                        aria-invalid=invalid("threshold") aria-describedby=described("threshold") />
                    {field_error("threshold")}
                </div>
                <div class="field field--check">
                    <input id="p-active" type="checkbox" name="form[active]" value="on" checked=f.is_active() />
                    <label for="p-active">"On sale in the store"</label>
                </div>
                <div class="field field--check">
                    <input id="p-featured" type="checkbox" name="form[featured]" value="on" checked=f.is_featured() />
                    <label for="p-featured">"Featured on the home page"</label>
                </div>
            </fieldset>
            <fieldset>
                <legend>{if category_name.is_empty() { "Specs".to_owned() } else { format!("Specs of {category_name}") }}</legend>
                {specs}
            </fieldset>
            <button class="button" type="submit">"Save product"</button>
        </ActionForm>
    }
}
