"""An S3-compatible server for tests: moto in server mode, on a port of its own, spoken
to over HTTP like any object store (the app only knows the endpoint it is given)."""

import logging
import os
import socket
import uuid

import boto3

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "editorial-test", "aws_secret_access_key": "editorial-test-secret"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ObjectStore:
    """A running S3-compatible server and a client of it."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **KEYS)

    def new_bucket(self):
        name = f"media-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name

    def keys(self, bucket):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def head(self, bucket, key):
        return self.client.head_object(Bucket=bucket, Key=key)

    def environment(self, bucket):
        """What the production settings read to keep pictures in ``bucket``."""
        return {
            "EDITORIAL_MEDIA_S3_BUCKET": bucket,
            "EDITORIAL_MEDIA_S3_ENDPOINT_URL": self.endpoint,
            "EDITORIAL_MEDIA_S3_REGION": REGION,
            "EDITORIAL_MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "EDITORIAL_MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "EDITORIAL_MEDIA_S3_ADDRESSING_STYLE": "path",
        }


def start_server():
    """moto's S3 server in this process (a thread), or the one EDITORIAL_TEST_S3_ENDPOINT
    names. Returns ``(ObjectStore, stop)``."""
    if os.environ.get("EDITORIAL_TEST_S3_ENDPOINT"):
        return ObjectStore(os.environ["EDITORIAL_TEST_S3_ENDPOINT"]), lambda: None
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return ObjectStore(f"http://127.0.0.1:{port}"), server.stop
