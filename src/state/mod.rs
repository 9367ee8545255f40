//! The app state, provided once by context, and the actions that change it.
//!
//! Files are data, not signals: the loaded files live in one signal as a `Vec`, and every figure
//! is derived from them by one memo (`reports`). Nothing writes a signal from an effect.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use web_sys::File;

pub mod driver;
pub mod run;

use crate::clock::now_ms;
use crate::components::tab_bar::Tab;
use crate::engine::dataset::{load, LoadedFile};
use crate::engine::export::FlatReport;
use crate::engine::judged::live_view;
use crate::engine::sample::SampleFilter;
use crate::engine::share::SharedView;
use crate::engine::summary::{evaluate, ModelReport, Options};
use crate::engine::view::ChartSettings;
use crate::llm::fetch_bytes;
use crate::reader::read_file;
use run::{RunState, RunStatus};

/// Where the built-in demo lives (relative to the page, copied there by trunk).
pub const DEMO_DIR: &str = "public/demo";

/// A loaded file.
#[derive(Clone, Debug)]
pub struct Source {
    pub id: u32,
    pub file: Arc<LoadedFile>,
    /// Built-in synthetic demo data, replaced by the user's first own file.
    pub demo: bool,
    /// Milliseconds from choosing the file to having it read, when the user chose it.
    pub load_ms: Option<f64>,
}

/// How far a file's reading got.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadPhase {
    Reading { done: f64, total: f64 },
    Done,
    Failed(String),
}

/// One file being read (or that failed to read).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadStatus {
    pub id: u32,
    pub name: String,
    pub phase: LoadPhase,
}

/// All reports, compared by identity so that the memo never walks the rows to compare them.
#[derive(Clone, Debug, Default)]
pub struct Reports(pub Arc<Vec<Arc<ModelReport>>>);

impl PartialEq for Reports {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The state every page and component reads through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub sources: RwSignal<Vec<Source>>,
    pub loads: RwSignal<Vec<LoadStatus>>,
    pub options: RwSignal<Options>,
    pub reports: Memo<Reports>,
    pub run: RunState,
    /// Chart choices (also carried by share links).
    pub view: RwSignal<ChartSettings>,
    /// A share link's figures, while the page shows one instead of loaded files.
    pub shared: RwSignal<Option<SharedView>>,
    /// The browser asks for dark colours (followed live by the app root).
    pub dark: RwSignal<bool>,
    pub tab: RwSignal<Tab>,
    /// What the sample view shows.
    pub focus: RwSignal<SampleFocus>,
    next_id: StoredValue<u32>,
}

/// The sample view's choice of report, filter and row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleFocus {
    /// `(file, model)` of the report looked at.
    pub report: Option<(String, String)>,
    pub filter: SampleFilter,
    /// Position in the filtered rows.
    pub position: usize,
    /// A line asked for from elsewhere (the paired comparison), shown once found.
    pub line: Option<usize>,
}

#[derive(Deserialize)]
struct DemoManifest {
    files: Vec<String>,
}

impl AppState {
    /// Creates the state and provides it to the component tree below.
    pub fn provide() -> Self {
        let sources = RwSignal::new(Vec::<Source>::new());
        let options = RwSignal::new(Options::default());
        let run = RunState::load();
        // Two memos, so that a run's answers do not re-score the loaded files and back.
        let file_reports = Memo::new(move |_| {
            let options = options.get();
            let reports = sources.with(|sources| {
                sources
                    .iter()
                    .flat_map(|s| {
                        s.file
                            .scored_models()
                            .into_iter()
                            .map(|idx| Arc::new(evaluate(&s.file, idx, &options)))
                    })
                    .collect()
            });
            Reports(Arc::new(reports))
        });
        let run_reports = Memo::new(move |_| Reports(Arc::new(run_reports(&run, &options.get()))));
        let reports = Memo::new(move |_| {
            let mut all = file_reports.get().0.as_ref().clone();
            all.extend(run_reports.get().0.iter().cloned());
            Reports(Arc::new(all))
        });
        let state = AppState {
            sources,
            loads: RwSignal::new(Vec::new()),
            options,
            reports,
            run,
            view: RwSignal::new(ChartSettings::default()),
            shared: RwSignal::new(None),
            dark: RwSignal::new(false),
            tab: RwSignal::new(Tab::Overview),
            focus: RwSignal::new(SampleFocus::default()),
            next_id: StoredValue::new(0),
        };
        provide_context(state);
        state
    }

    /// The state provided by [`AppState::provide`].
    pub fn get() -> Self {
        expect_context()
    }

    /// The leaderboard rows on show: a share link's, or those of the loaded files and the run.
    pub fn flat_rows(&self) -> Vec<FlatReport> {
        if let Some(shared) = self.shared.get() {
            return shared.reports;
        }
        self.reports
            .get()
            .0
            .iter()
            .map(|r| FlatReport::new(r))
            .collect()
    }

    /// `(file, model)` of every report with rows (loaded files and the run), for pickers.
    pub fn report_choices(&self) -> Vec<(String, String)> {
        self.reports
            .get()
            .0
            .iter()
            .filter(|r| !r.rows.is_empty())
            .map(|r| (r.file.clone(), r.model.clone()))
            .collect()
    }

    /// The file a report was computed from: a loaded file, or the run's live view.
    pub fn file_for(&self, file: &str, model: &str) -> Option<Arc<LoadedFile>> {
        let loaded = self.sources.with(|s| {
            s.iter()
                .find(|s| s.file.name == file)
                .map(|s| s.file.clone())
        });
        loaded.or_else(|| {
            let answers = self.run.snapshot.get();
            self.run.current.with(|current| {
                let current = current.as_ref()?;
                let idx = current.dataset.model_idx(model)?;
                let view = live_view(&current.dataset, idx, &answers, file);
                Some(Arc::new(view))
            })
        })
    }

    /// True while the demo is what the page shows.
    pub fn showing_demo(&self) -> bool {
        self.sources.with(|s| s.iter().any(|s| s.demo))
    }

    /// Reads files the user chose; their own data replaces the demo.
    pub fn load_user_files(self, files: Vec<File>) {
        let chosen_at = now_ms();
        self.sources.update(|s| s.retain(|s| !s.demo));
        self.shared.set(None);
        for file in files {
            let id = self.take_id();
            let name = self.unique_name(&file.name());
            let phase = LoadPhase::Reading {
                done: 0.0,
                total: file.size(),
            };
            self.loads.update(|l| {
                l.push(LoadStatus {
                    id,
                    name: name.clone(),
                    phase,
                })
            });
            spawn_local(async move {
                let read = read_file(&file, |done, total| {
                    self.set_phase(id, LoadPhase::Reading { done, total })
                })
                .await;
                match read {
                    Ok(mut loaded) => {
                        loaded.name = name;
                        self.add(loaded, false, Some(now_ms() - chosen_at));
                        self.set_phase(id, LoadPhase::Done);
                    }
                    Err(message) => self.set_phase(id, LoadPhase::Failed(message)),
                }
            });
        }
    }

    /// Reports a problem that belongs to no file (a damaged share link) in the load list.
    pub fn report_problem(self, name: &str, message: String) {
        let id = self.take_id();
        let name = name.to_string();
        self.loads.update(|l| {
            l.push(LoadStatus {
                id,
                name,
                phase: LoadPhase::Failed(message),
            })
        });
    }

    /// Fetches the built-in demo files, unless the user has loaded files of their own meanwhile.
    pub fn load_demo(self) {
        spawn_local(async move {
            if let Err(message) = self.fetch_demo().await {
                let id = self.take_id();
                let name = "demo data".to_string();
                self.loads.update(|l| {
                    l.push(LoadStatus {
                        id,
                        name,
                        phase: LoadPhase::Failed(message),
                    })
                });
            }
        });
    }

    /// Removes one loaded file.
    pub fn remove(self, id: u32) {
        self.sources.update(|s| s.retain(|s| s.id != id));
    }

    /// Forgets a finished or failed load from the progress list.
    pub fn dismiss_load(self, id: u32) {
        self.loads.update(|l| l.retain(|l| l.id != id));
    }

    async fn fetch_demo(self) -> Result<(), String> {
        let manifest = fetch_bytes(&format!("{DEMO_DIR}/manifest.json")).await?;
        let manifest: DemoManifest = serde_json::from_slice(&manifest)
            .map_err(|e| format!("the demo manifest is not valid: {e}"))?;
        let mut loaded = Vec::new();
        for name in manifest.files {
            let bytes = fetch_bytes(&format!("{DEMO_DIR}/{name}")).await?;
            loaded.push(load(&name, &bytes));
        }
        let user_has_files = self.sources.with_untracked(|s| s.iter().any(|s| !s.demo));
        if !user_has_files {
            for file in loaded {
                self.add(file, true, None);
            }
        }
        Ok(())
    }

    /// Adds a file that is already read (the demo, and tests).
    pub fn add(self, file: LoadedFile, demo: bool, load_ms: Option<f64>) {
        let id = self.take_id();
        let source = Source {
            id,
            file: Arc::new(file),
            demo,
            load_ms,
        };
        self.sources.update(|s| s.push(source));
    }

    fn set_phase(self, id: u32, phase: LoadPhase) {
        self.loads.update(|loads| {
            // A finished load is shown in the file list instead.
            if phase == LoadPhase::Done {
                loads.retain(|l| l.id != id);
            } else if let Some(load) = loads.iter_mut().find(|l| l.id == id) {
                load.phase = phase;
            }
        });
    }

    fn take_id(self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// The file's name, or `name (2)`, `name (3)`, ... when a file of that name is loaded.
    fn unique_name(self, name: &str) -> String {
        let taken = |candidate: &str| {
            self.sources
                .with_untracked(|s| s.iter().any(|s| s.file.name == candidate))
                || self
                    .loads
                    .with_untracked(|l| l.iter().any(|l| l.name == candidate))
        };
        let mut candidate = name.to_string();
        let mut n = 2;
        while taken(&candidate) {
            candidate = format!("{name} ({n})");
            n += 1;
        }
        candidate
    }
}

/// The figures of the current run, one report per judged model, from the answers so far.
/// While the run goes, its figures are refreshed twice a second without intervals (the
/// bootstrap would take the time the answers need); they get their intervals when it stops.
fn run_reports(run: &RunState, options: &Options) -> Vec<Arc<ModelReport>> {
    let answers = run.snapshot.get();
    let live = matches!(run.status.get(), RunStatus::Running | RunStatus::Stopping);
    let options = Options {
        resamples: if live { 0 } else { options.resamples },
        ..options.clone()
    };
    run.current.with(|current| {
        let Some(current) = current else {
            return Vec::new();
        };
        let name = format!("{} \u{b7} run", current.info.dataset_name);
        current
            .info
            .models
            .iter()
            .filter_map(|model| current.dataset.model_idx(model))
            .map(|idx| {
                Arc::new(evaluate(
                    &live_view(&current.dataset, idx, &answers, &name),
                    idx,
                    &options,
                ))
            })
            .filter(|report| report.figures.n_total > 0)
            .collect()
    })
}
