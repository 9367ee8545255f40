//! The app state, provided once by context, and the actions that change it.
//!
//! Files are data, not signals: the loaded files live in one signal as a `Vec`, and every figure
//! is derived from them by one memo (`reports`). Nothing writes a signal from an effect. One
//! concept a file: `sources` (the loaded files), `loading` (reading files, load problems),
//! `demo` (the built-in demo), `reports` (the figures and what they came from), `panels` (the
//! matcher panels chosen), `focus` (the sample view's choice), `agreement` (the Agreement tab:
//! matchers, the pair, their agreement), `kept_runs` (stored runs added there as matchers).

use leptos::prelude::*;

pub mod agreement;
pub mod demo;
pub mod driver;
pub mod focus;
pub mod kept_runs;
pub mod loading;
pub mod panels;
pub mod reports;
pub mod run;
pub mod sources;

use crate::engine::share::SharedView;
use crate::engine::source::Source;
use crate::engine::summary::Options;
use crate::engine::tabs::Tab;
use crate::engine::view::ChartSettings;
use agreement::AgreementState;
pub use demo::DEMO_DIR;
pub use focus::SampleFocus;
pub use loading::{LoadError, LoadPhase, LoadStatus};
pub use panels::{PanelChoice, PanelOutcomes};
pub use reports::Reports;
use run::RunState;

/// The state every page and component reads through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub sources: RwSignal<Vec<Source>>,
    pub loads: RwSignal<Vec<LoadStatus>>,
    pub options: RwSignal<Options>,
    pub reports: Memo<Reports>,
    /// The matcher panels chosen, and what each gave (its report also joins `reports`).
    pub panels: RwSignal<Vec<PanelChoice>>,
    pub panel_outcomes: Memo<PanelOutcomes>,
    pub run: RunState,
    /// Chart choices (also carried by share links).
    pub view: RwSignal<ChartSettings>,
    /// A share link's figures, while the page shows one instead of loaded files.
    pub shared: RwSignal<Option<SharedView>>,
    /// A share link in the address is being read (its reader's code comes after the first
    /// view).
    pub opening_share: RwSignal<bool>,
    /// The browser asks for dark colours (followed live by the app root).
    pub dark: RwSignal<bool>,
    pub tab: RwSignal<Tab>,
    /// What the sample view shows.
    pub focus: RwSignal<SampleFocus>,
    /// The Agreement tab's matchers and their agreement.
    pub agreement: AgreementState,
    /// Fetches the built-in demo (see [`AppState::load_demo`]).
    demo: Action<AppState, ()>,
    next_id: StoredValue<u32>,
}

impl AppState {
    /// Creates the state and provides it to the component tree below.
    pub fn provide() -> Self {
        let sources = RwSignal::new(Vec::<Source>::new());
        let options = RwSignal::new(Options::default());
        let run = RunState::load();
        let agreement = AgreementState::new(sources, options, run);
        let panels = RwSignal::new(Vec::<PanelChoice>::new());
        // The Agreement tab's matcher files (loaded, demo and runs') are what panels are made of.
        let matcher_files = Signal::derive(move || {
            agreement
                .files
                .with(|files| files.iter().map(|f| f.file.clone()).collect::<Vec<_>>())
        });
        let panel_outcomes = panels::panel_outcomes(matcher_files, options, panels);
        let state = AppState {
            sources,
            loads: RwSignal::new(Vec::new()),
            options,
            reports: reports::reports(sources, options, run, panel_outcomes),
            panels,
            panel_outcomes,
            run,
            view: RwSignal::new(ChartSettings::default()),
            shared: RwSignal::new(None),
            opening_share: RwSignal::new(false),
            dark: RwSignal::new(false),
            tab: RwSignal::new(Tab::Overview),
            focus: RwSignal::new(SampleFocus::default()),
            agreement,
            demo: demo::demo_action(),
            next_id: StoredValue::new(0),
        };
        provide_context(state);
        state
    }

    /// The state provided by [`AppState::provide`].
    pub fn get() -> Self {
        expect_context()
    }

    fn take_id(self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }
}
