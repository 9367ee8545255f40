//! The agreement chart as the page shows it: the drawn SVG and its download buttons.

use leptos::prelude::*;

use super::chart_download::ChartDownload;

/// Shows the chart `svg` = (text, width, height), or `error` when it could not be drawn.
#[component]
pub fn AgreementPlot(
    #[prop(into)] svg: Signal<Option<(String, u32, u32)>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <figure class="agreement-plot">
            <div class="agreement-svg" role="img" aria-label="RC by matcher A against RC by matcher B, one point per model"
                inner_html=move || svg.with(|s| s.as_ref().map(|s| s.0.clone()).unwrap_or_default())></div>
            {move || error.get().map(|e| view! { <p class="problem">{e}</p> })}
            <ChartDownload svg=svg name="matcher-agreement" />
        </figure>
    }
}
