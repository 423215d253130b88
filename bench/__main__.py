"""python -m bench [--sizes 10,100,500] [--out bench-results] [--runs 10] [--build] [--no-coldstart] [--no-plot]
python -m bench scale [--sizes 1000,5000,20000] [--out docs/bench-scale.json] [--memory again|same|none]
    [--burst 1000,100]"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Fake credentials, a fixed region and no instance metadata before anything imports boto3: never a real account.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "sagemaker-autoscaler",
        "POWERTOOLS_METRICS_NAMESPACE": "SageMakerAutoscaler",
        "POWERTOOLS_LOG_LEVEL": "ERROR",  # the benchmark's output is its table, not the controller's logs
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)
for _var in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_var, None)

from bench.main import main  # noqa: E402  (after the environment is fixed)

if __name__ == "__main__":
    if sys.argv[1:2] == ["scale"]:
        from bench import scale

        sys.exit(scale.main(sys.argv[2:], Path.cwd()))
    sys.exit(main(sys.argv[1:], Path.cwd()))
