//! Split points: functions whose code, and the code only they reach, leave the page's first
//! load.
//!
//! In the release build (the `split` feature) trunk's hook `tests/split-app` cuts the wasm at
//! these points: what the first view needs stays in the main module, the rest goes to the
//! module `later`, which the page fetches the first time one of them is called. Anywhere else
//! (debug builds, tests) they are plain async functions. Either way a caller awaits them.
//!
//! A split point takes and returns plain values (no generics, no `impl`, not `async`): it is
//! called across two wasm modules. Async work returns a boxed future ([`Later`]).

use std::future::Future;
use std::pin::Pin;

/// Async work a split point hands back (its code is in the module that made it).
pub type Later<T> = Pin<Box<dyn Future<Output = T>>>;

/// Declares split points: `later! { fn name(arg: Type, ...) -> Output { ... } }` gives
/// `async fn name(arg: Type, ...) -> Output`.
macro_rules! later {
    ($($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block)*) => {$(
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name($($arg: $ty),*) -> $ret $body

        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> $ret $body
    )*};
}
pub(crate) use later;
