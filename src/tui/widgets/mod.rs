//! Small drawing helpers shared by the views.

pub mod countdown;
pub mod list;
pub mod text;
pub mod theme;
