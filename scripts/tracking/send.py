"""Sends the tracking-protocol tests' messages with a real SDK.

    send.py --sdk segment|rudder --host URL --key KEY --tag T [--extra N] [--pause S]

One of each call (identify, track, page, screen, alias, group) for the person
tagged T, then N more tracks, one every S seconds. Prints one JSON line per message
as the SDK made it ({"type", "messageId"}), and when the SDK has delivered
everything, a last line {"done": true}. Exits 1 if the SDK reports an error.
"""

import argparse
import json
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--sdk", choices=["segment", "rudder"], required=True)
parser.add_argument("--host", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--tag", required=True)
parser.add_argument("--extra", type=int, default=0)
parser.add_argument("--pause", type=float, default=0.0)
args = parser.parse_args()

errors = []


def on_error(error, batch):
    errors.append(str(error))


if args.sdk == "segment":
    from segment.analytics import Client

    client = Client(args.key, host=args.host, on_error=on_error, gzip=True,
                    max_retries=10, upload_interval=0.1)
else:
    from rudderstack.analytics import Client

    client = Client(args.key, host=args.host, on_error=on_error, max_retries=10,
                    upload_interval=0.1)

tag = args.tag
user, anonymous = f"u-{tag}", f"a-{tag}"
sent = [
    client.identify(user, {"email": f"{tag}@example.se", "firstName": "Eva"},
                    anonymous_id=anonymous),
    client.track(user, "Order Completed", {"revenue": 245, "currency": "SEK"}),
    client.page(None, "Meny", "Lunch", {"url": "https://kanelbullen.se/lunch"},
                context={"page": {"url": "https://kanelbullen.se/lunch",
                                  "referrer": "https://www.reddit.com/r/stockholm"}},
                anonymous_id=anonymous),
    client.screen(user, "Appen", "Kundkort", {"points": 120}),
    client.alias(anonymous, user),
    client.group(user, f"g-{tag}", {"name": "Kontoret", "email": "kontoret@example.se"}),
]
for i in range(args.extra):
    sent.append(client.track(user, "Kaffe köpt", {"n": i}))
    if args.pause:
        client.flush()
        time.sleep(args.pause)

for ok, msg in sent:
    if not ok:
        sys.exit(f"the SDK did not take {msg['type']}")
    print(json.dumps({"type": msg["type"], "messageId": msg["messageId"]}), flush=True)
client.flush()
client.join()
if errors:
    sys.exit("the SDK reported: " + "; ".join(errors))
print(json.dumps({"done": True}), flush=True)
