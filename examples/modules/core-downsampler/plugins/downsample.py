# A scheduled plugin of the InfluxDB 3 processing engine: averages the last `interval` of
# `field` in `table` per series (`tags`) and writes it to TABLE_downsampled.
import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def seconds(text):
    return sum(int(n) * UNITS[u] for n, u in re.findall(r"(\d+)([smhdw])", text))


def process_scheduled_call(influxdb3_local, call_time, args=None):
    table, field = args["table"], args["field"]
    tags = [t for t in args["tags"].split(",") if t]
    window = seconds(args["interval"])
    columns = ", ".join([f'"{t}"' for t in tags] + [f'"{field}"'])
    # Averaged here rather than in SQL (GROUP BY): simple selects work on every server build.
    rows = influxdb3_local.query(
        f"SELECT {columns} FROM \"{table}\" WHERE time > now() - INTERVAL '{window} seconds'"
    )
    sums = {}
    for row in rows:
        if row.get(field) is None:
            continue
        key = tuple(row.get(t) for t in tags)
        total, count = sums.get(key, (0.0, 0))
        sums[key] = (total + row[field], count + 1)
    for key, (total, count) in sums.items():
        line = LineBuilder(f"{table}_downsampled")
        for t, v in zip(tags, key):
            if v is not None:
                line.tag(t, v)
        line.float64_field(field, total / count)
        influxdb3_local.write(line)
    influxdb3_local.info(f"downsampled {len(sums)} series of {table}")
