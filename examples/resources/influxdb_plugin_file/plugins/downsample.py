# Runs on a schedule (an `every:` or `cron:` trigger): averages the last hour of `cpu` per host
# into `cpu_hourly`.
def process_scheduled_call(influxdb3_local, call_time, args=None):
    rows = influxdb3_local.query(
        "SELECT host, avg(usage) AS usage FROM cpu WHERE time > now() - INTERVAL '1 hour' GROUP BY host"
    )
    for row in rows:
        line = LineBuilder("cpu_hourly")
        line.tag("host", row["host"])
        line.float64_field("usage", row["usage"])
        influxdb3_local.write(line)
