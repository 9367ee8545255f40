//! The app's build after cargo: trunk runs it (through `build.sh`, a `post_build` hook) once
//! the page's wasm is compiled.
//!
//! 1. With `--split`, cuts the wasm at the app's split points (`src/split.rs`): the code the
//!    first view needs stays in the main module, the rest goes to modules the page fetches
//!    later (`wasm_split_cli_support`, the splitter of Leptos's `#[lazy]`). Split points are
//!    `src/split.rs`'s `later!`. Its loader is made to take a wasm served as any type.
//! 2. Runs wasm-bindgen on the main module, and wasm-opt on every module.
//! 3. Puts the files in `app-<hash>/` of trunk's staging directory (the hash of their content,
//!    so that a host's cache never mixes two builds) and the script that starts the app, with
//!    preloads, into its `index.html`. Every URL is relative: the site works from any path.
//!
//! Usage: `split-app <wasm> <staging dir> <work dir> [--split] [--opt LEVEL]`

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

/// The app's name: its binary, and the files wasm-bindgen writes.
const NAME: &str = "metajudge-studio";
/// The loader the splitter writes, imported by the main module's JavaScript.
const LINK_NAME: &str = "./__wasm_split.js";

struct Args {
    wasm: PathBuf,
    staging: PathBuf,
    work: PathBuf,
    split: bool,
    opt: Option<String>,
}

fn main() {
    let args = match parse(std::env::args().skip(1).collect()) {
        Ok(args) => args,
        Err(e) => fail(&format!(
            "{e}\nusage: split-app <wasm> <staging dir> <work dir> [--split] [--opt LEVEL]"
        )),
    };
    if let Err(e) = run(&args) {
        fail(&e);
    }
}

fn fail(message: &str) -> ! {
    eprintln!("split-app: {message}");
    exit(1)
}

fn parse(argv: Vec<String>) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut split = false;
    let mut opt = None;
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--split" => split = true,
            "--opt" => opt = Some(it.next().ok_or("--opt needs a level (z, s, 1-4)")?),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [wasm, staging, work]: [PathBuf; 3] = positional
        .try_into()
        .map_err(|p: Vec<PathBuf>| format!("expected 3 paths, got {}", p.len()))?;
    Ok(Args {
        wasm,
        staging,
        work,
        split,
        opt,
    })
}

fn run(args: &Args) -> Result<(), String> {
    let input =
        fs::read(&args.wasm).map_err(|e| format!("cannot read {}: {e}", args.wasm.display()))?;
    let split_dir = args.work.join("split");
    let out_dir = args.work.join("out");
    for dir in [&split_dir, &out_dir] {
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }

    // 1. Split (or not): the module wasm-bindgen reads, and the later modules.
    let main_in = split_dir.join(format!("{NAME}.wasm"));
    let mut later: Vec<PathBuf> = Vec::new();
    if args.split {
        let main_module = format!("./{NAME}.js");
        let split = wasm_split_cli_support::transform({
            let mut opts = wasm_split_cli_support::Options::new(&input);
            opts.output_dir = &split_dir;
            opts.main_out_path = &main_in;
            opts.main_module = &main_module;
            opts.link_name = LINK_NAME;
            opts
        })
        .map_err(|e| format!("splitting {}: {e:#}", args.wasm.display()))?;
        later = split.split_modules;
        let loader = split_dir.join(LINK_NAME);
        let js = fs::read_to_string(&loader).map_err(|e| format!("reading the loader: {e}"))?;
        fs::write(&loader, any_content_type(&js)?)
            .map_err(|e| format!("writing the loader: {e}"))?;
        later.push(loader);
    } else {
        fs::copy(&args.wasm, &main_in).map_err(|e| format!("copying the wasm: {e}"))?;
    }

    // 2. wasm-bindgen on the main module; the later modules import from it directly.
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen
        .arg("--target=web")
        .arg("--no-typescript")
        .arg(format!("--out-dir={}", out_dir.display()))
        .arg(format!("--out-name={NAME}"));
    if args.split {
        // The splitter's loader reaches the main module's table and shared functions by the
        // names the linker gave them.
        bindgen.arg("--keep-lld-exports");
    }
    bindgen.arg(&main_in);
    command(&mut bindgen)?;
    for file in &later {
        let name = file.file_name().expect("a file name");
        fs::copy(file, out_dir.join(name)).map_err(|e| format!("copying {name:?}: {e}"))?;
    }
    if let Some(level) = &args.opt {
        check_wasm_opt()?;
        for wasm in files(&out_dir)?.iter().filter(|f| has_ext(f, "wasm")) {
            command(
                Command::new("wasm-opt")
                    .arg(format!("-O{level}"))
                    .arg(wasm)
                    .arg("-o")
                    .arg(wasm),
            )?;
        }
    }

    // 3. Into the staging directory, under a name of the content, and into the page.
    let outputs = files(&out_dir)?;
    let mut hash = Fnv::default();
    for file in &outputs {
        hash.write(file.file_name().unwrap().as_encoded_bytes());
        hash.write(&fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?);
    }
    let app_dir = format!("app-{:016x}", hash.0);
    let dest = args.staging.join(&app_dir);
    fs::create_dir_all(&dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
    for file in &outputs {
        let name = file.file_name().unwrap();
        fs::copy(file, dest.join(name)).map_err(|e| format!("copying {name:?}: {e}"))?;
    }
    let html_path = args.staging.join("index.html");
    let html = fs::read_to_string(&html_path)
        .map_err(|e| format!("cannot read {}: {e}", html_path.display()))?;
    let html = with_boot(&html, &app_dir)?;
    fs::write(&html_path, html)
        .map_err(|e| format!("cannot write {}: {e}", html_path.display()))?;
    let sizes: Vec<String> = outputs
        .iter()
        .map(|f| {
            let size = fs::metadata(f).map(|m| m.len()).unwrap_or(0);
            format!("{} {size} B", f.file_name().unwrap().to_string_lossy())
        })
        .collect();
    println!("split-app: {app_dir}/: {}", sizes.join(", "));
    Ok(())
}

/// The splitter's loader instantiates a module with `WebAssembly.instantiateStreaming`, which
/// refuses a wasm not served as `application/wasm` (some hosts); wasm-bindgen's own loader
/// falls back to reading the bytes, and so does this one after the change.
fn any_content_type(js: &str) -> Result<String, String> {
    const STREAMING: &str = "WebAssembly.instantiateStreaming(src, imports)";
    if !js.contains(STREAMING) {
        return Err(format!(
            "the splitter's loader no longer calls {STREAMING}: update split-app for it"
        ));
    }
    Ok(js.replace(STREAMING, "__instantiateAnyType(src, imports)")
        + r#"
async function __instantiateAnyType(src, imports) {
    const response = await src;
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    if ((response.headers.get('Content-Type') || '').startsWith('application/wasm')) {
        return WebAssembly.instantiateStreaming(response, imports);
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
"#)
}

/// The page with the script that starts the app (and preloads of what it starts with) put in
/// before `</head>`.
fn with_boot(html: &str, app_dir: &str) -> Result<String, String> {
    let at = html
        .find("</head>")
        .ok_or("index.html has no </head> to put the app's script before")?;
    let js = format!("./{app_dir}/{NAME}.js");
    let wasm = format!("./{app_dir}/{NAME}_bg.wasm");
    let boot = format!(
        r#"<link rel="modulepreload" href="{js}">
<link rel="preload" href="{wasm}" as="fetch" type="application/wasm" crossorigin="anonymous">
<script type="module">
import init from '{js}';
await init({{ module_or_path: new URL('{wasm}', document.baseURI) }});
</script>
"#
    );
    Ok(format!("{}{boot}{}", &html[..at], &html[at..]))
}

/// The oldest wasm-opt known to write a working wasm here: Debian's binaryen 108 breaks the
/// externref table export and the page stays blank (trunk pins 132, `Trunk.toml`).
const WASM_OPT_AT_LEAST: u32 = 116;

fn check_wasm_opt() -> Result<(), String> {
    let out = Command::new("wasm-opt")
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run wasm-opt: {e} (tests/setup.sh installs it)"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .split_whitespace()
        .skip_while(|w| *w != "version")
        .nth(1)
        .and_then(|v| v.parse::<u32>().ok());
    match version {
        Some(v) if v >= WASM_OPT_AT_LEAST => Ok(()),
        _ => Err(format!(
            "wasm-opt on PATH says {:?}: version {WASM_OPT_AT_LEAST} or newer is needed \
             (tests/setup.sh installs 132 from npm binaryen; put it first on PATH)",
            text.trim()
        )),
    }
}

fn command(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e} (tests/setup.sh installs it)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// The files of `dir`, sorted. A folder in it is an error: wasm-bindgen writes `snippets/`
/// for inline JavaScript (nothing uses it yet), and split-app copies files only.
fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    if let Some(folder) = files.iter().find(|p| p.is_dir()) {
        return Err(format!(
            "{} is a folder: split-app copies files only; teach it to copy this",
            folder.display()
        ));
    }
    files.sort();
    Ok(files)
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e == ext)
}

/// FNV-1a, 64 bits: a stable name for a build's content (not a defence against anyone).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}
