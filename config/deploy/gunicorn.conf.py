# gunicorn settings for production; `make run` uses them too.
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker):
    """Build what the first request would (doctypes, URLs, templates) before taking requests."""
    from apps.docflow.warmup import warm_up

    warm_up()
