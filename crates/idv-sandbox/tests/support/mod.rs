//! Browser-test helpers: headless Chromium through WebDriver, and the integrator's host pages.

#![allow(dead_code, unreachable_pub)]

pub mod browser;
pub mod host;
