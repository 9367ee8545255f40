//! Where the judge runs: base URL, key, judge model and the request settings (structured
//! answers among them).

use leptos::prelude::*;

use super::number_field::NumberField;
use crate::engine::pipeline::Structured;
use crate::runner::form::RunForm;
use crate::runner::plan::TokenField;

/// Chromium opens at most this many HTTP/1.1 connections to one server.
const BROWSER_HTTP1_LIMIT: usize = 6;

/// The endpoint part of the run form.
#[component]
pub fn EndpointForm(
    form: RwSignal<RunForm>,
    /// The fieldset's title; by default the runner's own.
    #[prop(optional, into)]
    legend: Option<String>,
) -> impl IntoView {
    let legend = legend.unwrap_or_else(|| "Endpoint (any OpenAI-compatible server)".into());
    let text = move |set: fn(&mut RunForm, String)| {
        move |ev: web_sys::Event| form.update(|f| set(f, event_target_value(&ev)))
    };
    let number = move |get: fn(&RunForm) -> Option<f64>| Signal::derive(move || form.with(get));
    let http1_note = move || {
        form.with(|f| {
            f.settings.base_url.trim().starts_with("http:")
                && f.settings.concurrency > BROWSER_HTTP1_LIMIT
        })
    };
    view! {
        <fieldset class="endpoint-form">
            <legend>{legend}</legend>
            <label>"Base URL " <input type="url" size="36" prop:value=move || form.with(|f| f.settings.base_url.clone()) on:change=text(|f, v| f.settings.base_url = v) /></label>
            <label>"API key " <input type="password" autocomplete="off" size="28" prop:value=move || form.with(|f| f.api_key.clone()) on:change=text(|f, v| f.api_key = v) /></label>
            <label title="Stored with the run in this browser only; otherwise the key lives in this tab's memory and is asked again after a reload">
                <input type="checkbox" prop:checked=move || form.with(|f| f.remember_key) on:change=move |ev| form.update(|f| f.remember_key = event_target_checked(&ev)) />
                " Remember key in this browser"
            </label>
            <label>"Judge model " <input type="text" size="22" prop:value=move || form.with(|f| f.settings.judge_model.clone()) on:change=text(|f, v| f.settings.judge_model = v.trim().to_string()) /></label>
            <label>
                <input type="checkbox" prop:checked=move || form.with(|f| f.settings.temperature.is_some())
                    on:change=move |ev| form.update(|f| f.settings.temperature = event_target_checked(&ev).then_some(0.6)) />
                " Send temperature"
            </label>
            <NumberField title="Temperature " value=number(|f| f.settings.temperature) max=2.0 on_change=Callback::new(move |v: Option<f64>| form.update(|f| if f.settings.temperature.is_some() { f.settings.temperature = v.or(Some(0.6)) })) />
            <NumberField title="Max tokens " value=number(|f| Some(f64::from(f.settings.max_tokens))) min=1.0 step="1" on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.max_tokens = v.unwrap_or(8192.0) as u32)) />
            <label>"as "
                <select on:change=move |ev| form.update(|f| f.settings.token_field = match event_target_value(&ev).as_str() {
                    "max_completion_tokens" => TokenField::MaxCompletionTokens,
                    "none" => TokenField::None,
                    _ => TokenField::MaxTokens,
                })>
                    <option value="max_tokens" selected=move || form.with(|f| f.settings.token_field == TokenField::MaxTokens)>"max_tokens"</option>
                    <option value="max_completion_tokens" selected=move || form.with(|f| f.settings.token_field == TokenField::MaxCompletionTokens)>"max_completion_tokens"</option>
                    <option value="none" selected=move || form.with(|f| f.settings.token_field == TokenField::None)>"(no limit sent)"</option>
                </select>
            </label>
            <label title="For weak local models: the endpoint is asked for JSON following a schema, which is turned into the reference text before it is read">"Answers "
                <select class="structured-select" on:change=move |ev| form.update(|f| f.settings.structured = Structured::from_key(&event_target_value(&ev)).unwrap_or_default())>
                    {Structured::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=move || form.with(|f| f.settings.structured == s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || form.with(|f| f.settings.structured.is_on())>
                <p class="hint structured-note">"Structured answers are not the paper's method (it asks for free text): the run records them, and its models are marked \u{201c}JSON answers\u{201d} on the leaderboard and the chart."</p>
            </Show>
            <NumberField title="Concurrency " value=number(|f| Some(f.settings.concurrency as f64)) min=1.0 max=256.0 step="1" on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.concurrency = v.unwrap_or(8.0) as usize)) />
            <NumberField title="Retries " value=number(|f| Some(f64::from(f.settings.retry.max_retries))) max=20.0 step="1" on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.retry.max_retries = v.unwrap_or(5.0) as u32)) />
            <NumberField title="Timeout (s) " value=number(|f| Some(f.settings.timeout_s)) min=1.0 max=3600.0 on_change=Callback::new(move |v: Option<f64>| form.update(|f| f.settings.timeout_s = v.unwrap_or(120.0))) />
            <Show when=http1_note>
                <p class="hint">"Over plain http the browser opens at most 6 connections to one server, so more than 6 calls at once only happen over https (HTTP/2)."</p>
            </Show>
        </fieldset>
    }
}
