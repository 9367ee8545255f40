//! The alignment zones' choices: on or off, and the OA and RC thresholds (empty: the median of
//! the models shown), with why there are no zones when the y axis shows another figure.

use leptos::prelude::*;

use crate::engine::view::{zones_unavailable, AlignmentZones, ChartSettings, ZoneThresholds};

/// Edits `settings.zones`; `medians` are the thresholds an empty field stands for.
#[component]
pub fn ZoneControls(
    settings: RwSignal<ChartSettings>,
    #[prop(into)] medians: Signal<Option<ZoneThresholds>>,
) -> impl IntoView {
    let unavailable = move || settings.with(|s| zones_unavailable(s.y));
    let tip = move || unavailable().unwrap_or_else(|| ZONES_HELP.to_string());
    let fields_off = move || unavailable().is_some() || !settings.with(|s| s.zones.show);
    let oa = Threshold {
        key: "oa",
        title: "OA threshold ",
        get: |z| z.oa,
        set: |z, v| z.oa = v,
        median: |m| m.oa,
    };
    let rc = Threshold {
        key: "rc",
        title: "RC threshold ",
        get: |z| z.rc,
        set: |z, v| z.rc = v,
        median: |m| m.rc,
    };
    view! {
        <div class="zone-controls" title=tip>
            <label>
                <input type="checkbox" class="zone-controls-show"
                    prop:checked=move || settings.with(|s| s.zones.show)
                    prop:disabled=move || unavailable().is_some()
                    on:change=move |ev| settings.update(|s| s.zones.show = event_target_checked(&ev)) />
                " Alignment zones"
            </label>
            {threshold_field(oa, settings, medians, fields_off)}
            {threshold_field(rc, settings, medians, fields_off)}
        </div>
    }
}

const ZONES_HELP: &str = "Shade where OA and RC are both high (authentic alignment) and where \
    OA is high but RC low (deceptive alignment trap), as in the paper's Figure 1; an empty \
    threshold is the median of the models shown";

/// One threshold: its field's title and where it lives in the settings and the medians.
#[derive(Clone, Copy)]
struct Threshold {
    /// The figure's key, also the field's `data-threshold`.
    key: &'static str,
    title: &'static str,
    get: fn(&AlignmentZones) -> Option<f64>,
    set: fn(&mut AlignmentZones, Option<f64>),
    median: fn(&ZoneThresholds) -> f64,
}

/// A number field for one threshold, its placeholder the median; a value that does not parse
/// leaves the threshold as it was.
fn threshold_field(
    threshold: Threshold,
    settings: RwSignal<ChartSettings>,
    medians: Signal<Option<ZoneThresholds>>,
    disabled: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let shown = move || {
        settings
            .with(|s| (threshold.get)(&s.zones))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let placeholder = move || {
        medians
            .get()
            .map(|m| format!("median {:.3}", (threshold.median)(&m)))
            .unwrap_or_else(|| "median".into())
    };
    let change = move |ev: web_sys::Event| {
        let text = event_target_value(&ev);
        let value = match text.trim() {
            "" => None,
            text => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v.clamp(0.0, 1.0)),
                _ => return,
            },
        };
        settings.update(|s| (threshold.set)(&mut s.zones, value));
    };
    view! {
        <label class="zone-threshold">
            {threshold.title}
            <input type="number" min="0" max="1" step="0.01" size="6" data-threshold=threshold.key
                placeholder=placeholder prop:value=shown prop:disabled=disabled on:change=change />
        </label>
    }
}
