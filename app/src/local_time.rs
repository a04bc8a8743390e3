//! The phone's own calendar and clock (JavaScript `Date`, in the phone's
//! time zone). Core takes dates and instants as values; this is the one
//! place the app reads them from the phone.

/// Today on the phone's calendar, `YYYY-MM-DD` (what `<input type=date>` holds).
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Now, as an instant in the phone's own time zone.
pub fn now_local() -> Result<time::OffsetDateTime, xianfeng_core::DomainError> {
    let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    xianfeng_core::spotcheck::local_instant(js_sys::Date::now() as i64, offset)
}
