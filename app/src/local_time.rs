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

/// Now, as RFC 3339 with the phone's offset: `2026-11-21T14:05:09+08:00`.
pub fn now_rfc3339() -> String {
    let d = js_sys::Date::new_0();
    // getTimezoneOffset is UTC minus local, in minutes.
    let offset = -(d.get_timezone_offset() as i32);
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        sign,
        offset / 60,
        offset % 60
    )
}
