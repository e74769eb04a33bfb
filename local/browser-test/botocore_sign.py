"""Signs one request with botocore's SigV4 signer (the AWS SDK for Python's), for sigv4.test.mjs.

stdin: {"method", "url", "headers", "body", "accessKeyId", "secretAccessKey", "sessionToken",
"region", "service", "amzDate"}; stdout: the headers botocore would send.
"""
import datetime
import json
import sys
from unittest import mock

from botocore import auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
request = AWSRequest(method=spec["method"], url=spec["url"], data=spec["body"].encode(), headers=spec["headers"])
signer = auth.SigV4Auth(Credentials(spec["accessKeyId"], spec["secretAccessKey"], spec.get("sessionToken")),
                        spec["service"], spec["region"])
at = datetime.datetime.strptime(spec["amzDate"], "%Y%m%dT%H%M%SZ")
with mock.patch.object(auth, "get_current_datetime", return_value=at):
    signer.add_auth(request)
json.dump(dict(request.headers.items()), sys.stdout)
