//! The Prometheus text format (0.0.4), which every scraper reads, from the OpenMetrics text
//! prometheus-client writes: the two differ in a few lines only. A counter's `# HELP`/`# TYPE`
//! name carries the `_total` its samples have, `# UNIT` and `# EOF` go, `unknown` is `untyped`,
//! and exemplars (none are recorded here) are cut from sample lines.

/// `Content-Type` of the Prometheus text format.
pub const PROMETHEUS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Rewrites OpenMetrics text as Prometheus text.
pub fn prometheus_text(openmetrics: &str) -> String {
    let counters: Vec<&str> = openmetrics
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let rewritten = if let Some(rest) = line.strip_prefix("# HELP ") {
            format!("# HELP {}", counter_name(rest, &counters))
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let named = counter_name(rest, &counters);
            match named.strip_suffix(" unknown") {
                Some(name) => format!("# TYPE {name} untyped"),
                None => format!("# TYPE {named}"),
            }
        } else if line.starts_with('#') {
            line.to_owned()
        } else {
            line.split(" # ").next().unwrap_or(line).to_owned()
        };
        out.push_str(&rewritten);
        out.push('\n');
    }
    out
}

/// `name rest` with `_total` added to the name when it is a counter's.
fn counter_name(rest: &str, counters: &[&str]) -> String {
    let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
    if counters.contains(&name) && !name.ends_with("_total") {
        format!("{name}_total {tail}").trim_end().to_owned()
    } else {
        rest.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openmetrics_becomes_prometheus_text() {
        let open = "# HELP usher_bot_interactions Interactions received.\n\
                    # TYPE usher_bot_interactions counter\n\
                    usher_bot_interactions_total{platform=\"telegram\"} 2\n\
                    # HELP usher_requests Requests by status.\n\
                    # TYPE usher_requests gauge\n\
                    usher_requests{status=\"pending\"} 3\n\
                    # HELP process_cpu_seconds Total CPU.\n\
                    # TYPE process_cpu_seconds counter\n\
                    # UNIT process_cpu_seconds seconds\n\
                    process_cpu_seconds_total 1.5 # {trace=\"x\"} 1.0\n\
                    # TYPE odd unknown\n\
                    odd 1\n\
                    # EOF\n";
        assert_eq!(
            prometheus_text(open),
            "# HELP usher_bot_interactions_total Interactions received.\n\
             # TYPE usher_bot_interactions_total counter\n\
             usher_bot_interactions_total{platform=\"telegram\"} 2\n\
             # HELP usher_requests Requests by status.\n\
             # TYPE usher_requests gauge\n\
             usher_requests{status=\"pending\"} 3\n\
             # HELP process_cpu_seconds_total Total CPU.\n\
             # TYPE process_cpu_seconds_total counter\n\
             process_cpu_seconds_total 1.5\n\
             # TYPE odd untyped\n\
             odd 1\n"
        );
    }
}
