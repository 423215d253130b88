"""The operator's CLI (`sagemaker-autoscaler`): reuses the `autoscaler` library, never ships in the Lambda layer."""
