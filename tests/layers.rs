//! The layer rule of `src/lib.rs`, checked by reading the sources: every `use crate::`,
//! `use super::`, `use self::` and inline `crate::` path of a file outside its tests must point
//! to its own layer or one below it (never sideways into another room of its layer, never up),
//! components never reach state or a door, and no two files depend on each other in a cycle.
//!
//! This is a test of text, not of the compiler: it strips comments, reads the paths written in
//! the code and resolves each to the file that defines the module it names.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Each room of the crate, its layer, and the rooms it may use besides lower layers' rooms.
/// Rooms of one layer may not use each other, except where `extra` names one.
const ROOMS: &[(&str, u8, &[&str])] = &[
    ("engine", 0, &[]),
    ("chart", 1, &[]),
    ("runner", 1, &[]),
    ("clock", 1, &[]),
    ("split", 1, &[]),
    ("llm", 2, &[]),
    ("store", 2, &[]),
    ("reader", 2, &[]),
    ("worker", 2, &[]),
    ("state", 3, &[]),
    ("components", 4, &[]),
    ("pages", 5, &[]),
    ("app", 6, &[]),
];

/// What components may never use although it is below them: they take props and render.
const COMPONENTS_NEVER: &[&str] = &["state", "llm", "store", "reader", "worker"];

#[test]
fn every_import_follows_the_layer_table() {
    let graph = SourceGraph::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut violations = Vec::new();
    for (file, deps) in &graph.deps {
        let Some(from) = room_of(file) else {
            continue;
        };
        for dep in deps {
            let Some(to) = room_of(dep) else {
                continue;
            };
            if let Err(why) = allowed(from, to) {
                violations.push(format!("{} uses {}: {why}", name(file), name(dep)));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layer violations:\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_two_files_depend_on_each_other() {
    let graph = SourceGraph::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let cycles: Vec<String> = graph
        .cycles()
        .iter()
        .map(|cycle| {
            cycle
                .iter()
                .map(|f| name(f))
                .collect::<Vec<_>>()
                .join(" -> ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "file-level cycles:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_rule_itself() {
    #[track_caller]
    fn check(from: &str, to: &str, ok: bool) {
        assert_eq!(allowed(from, to).is_ok(), ok, "{from} -> {to}");
    }
    check("engine", "engine", true);
    check("engine", "chart", false);
    check("chart", "engine", true);
    check("chart", "runner", false);
    check("runner", "clock", false);
    check("llm", "runner", true);
    check("llm", "store", false);
    check("store", "runner", true);
    check("state", "llm", true);
    check("state", "components", false);
    check("components", "chart", true);
    check("components", "runner", true);
    check("components", "state", false);
    check("components", "llm", false);
    check("components", "store", false);
    check("pages", "state", true);
    check("pages", "components", true);
    check("pages", "app", false);
    check("app", "pages", true);
}

#[test]
fn the_reader_of_paths_itself() {
    #[track_caller]
    fn check(code: &str, expected: &[&str]) {
        let module = vec![
            "engine".to_string(),
            "dataset".to_string(),
            "lines".to_string(),
        ];
        let mut got: Vec<String> = paths_in(code, &module)
            .iter()
            .map(|p| p.join("::"))
            .collect();
        got.sort();
        assert_eq!(got, expected, "{code}");
    }
    check(
        "use crate::engine::verdict::Label;",
        &["engine::verdict::Label"],
    );
    check(
        "use crate::engine::{summary::{evaluate, Options}, verdict};",
        &[
            "engine::summary::Options",
            "engine::summary::evaluate",
            "engine::verdict",
        ],
    );
    check("use super::Row;", &["engine::dataset::Row"]);
    check("use super::super::verdict::*;", &["engine::verdict::*"]);
    check(
        "use self::raw::line;",
        &["engine::dataset::lines::raw::line"],
    );
    check("let x = crate::chart::draw(1);", &["chart::draw"]);
    check(
        "let x = super::super::verdict::read(1);",
        &["engine::verdict::read"],
    );
    check(
        "use crate::engine::dataset::{load as read, Row};",
        &["engine::dataset::Row", "engine::dataset::load"],
    );
    check("// use crate::state::AppState;\n/// crate::llm::chat", &[]);
    check("pub use crate::engine::verdict::Label;", &[]);
    check("#[cfg(test)]\nmod tests { use crate::state::X; }", &[]);
}

/// Whether a file of room `from` may use a file of room `to`.
fn allowed(from: &str, to: &str) -> Result<(), String> {
    if from == to {
        return Ok(());
    }
    let room = |name: &str| ROOMS.iter().find(|(n, _, _)| *n == name);
    let (Some(&(_, from_layer, extra)), Some(&(_, to_layer, _))) = (room(from), room(to)) else {
        return Ok(());
    };
    if from == "components" && COMPONENTS_NEVER.contains(&to) {
        return Err("components take props; they never reach state or a door".into());
    }
    // The doors speak the runner's vocabulary (settings, outcomes, answer keys).
    if ["llm", "store", "reader"].contains(&from) && to == "runner" {
        return Ok(());
    }
    if extra.contains(&to) || to_layer < from_layer {
        return Ok(());
    }
    if to_layer == from_layer {
        return Err(format!(
            "{to} is beside {from} (layer {to_layer}): no sideways imports"
        ));
    }
    Err(format!(
        "{to} (layer {to_layer}) is above {from} (layer {from_layer})"
    ))
}

/// The crate's files (outside `bin/`) and, for each, the files its code points to.
struct SourceGraph {
    deps: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

impl SourceGraph {
    fn read(root: PathBuf) -> Self {
        let mut files = Vec::new();
        collect_rs(&root, &mut files);
        let mut deps = BTreeMap::new();
        for file in files {
            let relative = file.strip_prefix(&root).unwrap().to_path_buf();
            if relative.starts_with("bin") || relative == Path::new("main.rs") {
                continue;
            }
            let module = module_of(&relative);
            let code = fs::read_to_string(&file).unwrap();
            let targets: BTreeSet<PathBuf> = paths_in(&code, &module)
                .iter()
                .filter_map(|path| resolve(&root, path))
                .filter(|target| *target != relative)
                .collect();
            deps.insert(relative, targets);
        }
        SourceGraph { deps }
    }

    /// Every cycle of two or more files, found by a depth-first search (one per strongly
    /// connected group is enough to name the fault).
    fn cycles(&self) -> Vec<Vec<PathBuf>> {
        let mut found: Vec<Vec<PathBuf>> = Vec::new();
        let mut seen_groups: BTreeSet<BTreeSet<PathBuf>> = BTreeSet::new();
        for start in self.deps.keys() {
            if let Some(cycle) = self.cycle_from(start) {
                let group: BTreeSet<PathBuf> = cycle.iter().cloned().collect();
                if seen_groups.insert(group) {
                    found.push(cycle);
                }
            }
        }
        found
    }

    fn cycle_from(&self, start: &PathBuf) -> Option<Vec<PathBuf>> {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut visited = BTreeSet::new();
        while let Some((file, path)) = stack.pop() {
            for next in self.deps.get(&file).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(start.clone());
                    return Some(cycle);
                }
                if visited.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
        None
    }
}

/// The room (first module under the crate root) a file belongs to.
fn room_of(file: &Path) -> Option<&str> {
    let first = file.components().next()?.as_os_str().to_str()?;
    Some(first.strip_suffix(".rs").unwrap_or(first))
}

fn name(file: &Path) -> String {
    format!("src/{}", file.display())
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file relative to `src/`: `engine/dataset/mod.rs` is `engine::dataset`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The file defining the longest prefix of `path` that is a module of the crate.
fn resolve(root: &Path, path: &[String]) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| {
        let dir: PathBuf = path[..n].iter().collect();
        [dir.with_extension("rs"), dir.join("mod.rs")]
            .into_iter()
            .find(|candidate| root.join(candidate).is_file())
    })
}

/// The absolute crate paths a file's code (outside its tests and comments) points to.
/// Re-exports (`pub use`) are left out: a module showing its children's items is a facade,
/// not a dependency.
fn paths_in(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let code = strip_comments(code);
    let code = match code.find("#[cfg(test)]\nmod tests") {
        Some(at) => &code[..at],
        None => &code[..],
    };
    // `use` items start a line (the sources are rustfmt-formatted); one may span lines.
    let mut paths = Vec::new();
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(tree) = line.trim_start().strip_prefix("use ") else {
            continue;
        };
        let begin = start + line.len() - tree.len();
        let end = code[begin..].find(';').map_or(code.len(), |e| begin + e);
        for tree in expand_use(code[begin..end].trim()) {
            if let Some(path) = absolute(&tree, module) {
                paths.push(path);
            }
        }
    }
    // Inline paths, written in code without a `use`.
    let without_uses = code
        .split(';')
        .filter(|stmt| !stmt.trim_start().starts_with("use ") && !stmt.contains("pub use "))
        .collect::<Vec<_>>()
        .join(";");
    for prefix in ["crate::", "super::"] {
        let mut rest = without_uses.as_str();
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            let tail = &rest[at..];
            let len = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            let starts_path = before.is_none_or(|c| !c.is_alphanumeric() && !"_$:".contains(c));
            if starts_path {
                if let Some(path) = absolute(tail[..len].trim_end_matches(':'), module) {
                    paths.push(path);
                }
            }
            rest = &tail[len..];
        }
    }
    paths
}

/// `a::{b, c::{d, e}}` -> [`a::b`, `a::c::d`, `a::c::e`].
fn expand_use(tree: &str) -> Vec<String> {
    // Renames (`x as y`) name the same item; drop them, then the spaces.
    let mut words = tree.split_whitespace();
    let mut kept = String::new();
    while let Some(word) = words.next() {
        if word == "as" {
            let renamed = words.next().unwrap_or("");
            kept.extend(renamed.chars().filter(|c| matches!(c, ',' | '}')));
        } else {
            kept.push_str(word);
        }
    }
    let tree = kept;
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
    let inner = &tree[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            expand_use(p)
                .into_iter()
                .map(move |tail| format!("{prefix}{tail}"))
        })
        .collect()
}

/// Turns a `use` path into an absolute module path, or `None` for another crate's path.
fn absolute(path: &str, module: &[String]) -> Option<Vec<String>> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segments.first() {
        Some(&"crate") => Vec::new(),
        Some(&"self") | Some(&"super") => module.to_vec(),
        _ => return None,
    };
    let mut rest = &segments[..];
    if rest.first() == Some(&"crate") {
        rest = &rest[1..];
    }
    while let Some(&first) = rest.first() {
        match first {
            "self" => rest = &rest[1..],
            "super" => {
                base.pop();
                rest = &rest[1..];
            }
            _ => break,
        }
    }
    base.extend(rest.iter().map(|s| s.to_string()));
    Some(base)
}

/// The code without `//` comments (doc comments included) and `/* */` blocks.
fn strip_comments(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    loop {
        let line = rest.find("//");
        let block = rest.find("/*");
        match (line, block) {
            (Some(l), b) if b.is_none_or(|b| l < b) => {
                out.push_str(&rest[..l]);
                let end = rest[l..].find('\n').map_or(rest.len(), |e| l + e);
                rest = &rest[end..];
            }
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                let end = rest[b..].find("*/").map_or(rest.len(), |e| b + e + 2);
                rest = &rest[end..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}
