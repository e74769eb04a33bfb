"""What a create costs on `make run` as the table grows: prints numbers, never fails.

Starts local/run.sh on free ports (moto behind local/emulator.py, then the local API), times CREATES
creates (POST /accounts/{accountId}/keys) on the empty table, writes PADDING items of 200 bytes straight
into the emulator with BatchWriteItem (partitions no key uses), times CREATES creates again, and prints
both medians and their ratio, with the emulator's resident memory.

    make bench-local                                    # 20 creates, 10,000 other items (then bench_persist.py)
    .venv/bin/python local/bench_scale.py --creates 20 --padding 1000 4000 10000
"""
import argparse
import sys
import time

from stack import Client, Stack, median, pad_table, percentile


def creates(client, count, label):
    seconds = []
    for index in range(count):
        status, body, _, took = client.request("POST", f"/accounts/bench-{label}-{index}/keys",
                                               {"name": f"Bench {label} {index}"})
        if status != 201:
            raise SystemExit(f"create answered {status}: {body}")
        seconds.append(took)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--creates", type=int, default=20)
    parser.add_argument("--padding", type=int, nargs="+", default=[10_000],
                        help="table sizes to measure at, in other items (cumulative)")
    args = parser.parse_args(argv)

    with Stack() as stack:
        client = Client(stack.api)
        creates(client, 20, "warmup")  # the JVM's first calls compile
        base = creates(client, args.creates, "empty")
        rows = [("empty", base)]
        padded = 0
        for size in args.padding:
            started = time.monotonic()
            padded += pad_table(stack.moto, size - padded) if size > padded else 0
            print(f"padded to {padded} other items in {time.monotonic() - started:.1f} s", file=sys.stderr)
            rows.append((f"{padded} other items", creates(client, args.creates, f"padded{padded}")))
        print(f"median of {args.creates} creates on make run (emulator RSS {stack.emulator_rss_mb():.0f} MiB at the end)")
        base_median = median(base)
        for label, seconds in rows:
            print(f"  {label:>20}: median {median(seconds) * 1000:7.1f} ms  p90 {percentile(seconds, 0.9) * 1000:7.1f} ms"
                  f"  ratio to empty {median(seconds) / base_median:5.2f}")


if __name__ == "__main__":
    main()
