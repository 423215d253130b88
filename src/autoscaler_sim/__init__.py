"""A simulator of Application Auto Scaling on one SageMaker variant, and a recommender of target values.

Not part of the Lambda layer: the operator CLI's `simulate`, `recommend` and `validate` verbs use it. Every rule it
encodes cites the AWS documentation it comes from (``engine``); where AWS documents no number, the number is a
parameter with a stated default (``engine.Parameters``).
"""
