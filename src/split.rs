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
//!
//! The later module can fail to come (the network, a host mid-deploy): a split point then
//! gives [`LoadFailed`] instead of stopping the page, and a later call tries again.

use std::future::Future;
use std::pin::Pin;

/// Async work a split point hands back (its code is in the module that made it).
pub type Later<T> = Pin<Box<dyn Future<Output = T>>>;

/// The code of a split point did not load (the browser's console says why).
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("a part of this page's code did not load (the network, or a new version of the site was put up meanwhile): try again, or reload the page")]
pub struct LoadFailed;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for LoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// Declares split points: `later! { fn name(arg: Type, ...) -> Output { ... } }` gives
/// `async fn name(arg: Type, ...) -> Result<Output, LoadFailed>`.
macro_rules! later {
    ($($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block)*) => {$(
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> Result<$ret, $crate::split::LoadFailed> {
            Ok($body)
        }

        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<$ret, $crate::split::LoadFailed> {
            Ok($body)
        }
    )*};
}
pub(crate) use later;
