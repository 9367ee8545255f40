//! One stage of an evaluation: its name over its progress panel (the children).

use leptos::prelude::*;

use crate::engine::pipeline::Stage;

/// The stage's block, hooked for tests by `data-stage`.
#[component]
pub fn StageProgress(stage: Stage, children: Children) -> impl IntoView {
    let title = match stage {
        Stage::Generate => "Generate: the candidate judges each row",
        Stage::Swap => "Swap: the same with A and B exchanged",
        Stage::Decompose => "Decompose: reasons into atomic items",
        Stage::Match => "Match: the candidate's reasons against the human ones",
    };
    view! {
        <div class="stage-progress" data-stage=stage.key()>
            <h4>{title}</h4>
            {children()}
        </div>
    }
}
