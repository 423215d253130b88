"""Domain package of the SageMaker endpoint autoscaler: shipped as the Lambda layer, imported by tests.

Modules, in the order a reconcile uses them:

- ``settings``   Settings.from_env(): the stack parameters, read once and typed.
- ``tags``       the tag grammar (README, Tags): raw tags -> TagConfig (errors and warnings carry their tag key).
- ``spec``       the desired state as frozen value objects (VariantSpec, TargetTrackingPolicy, ...).
- ``sources``    endpoint description + TagConfig -> EndpointSpec (precedence, validation).
- ``state``      the actual state read back from AWS, normalised into the same value objects.
- ``actions``    RegisterTarget, PutPolicy, DeletePolicy, ... each with a reason.
- ``planner``    plan(desired, actual, now) -> [Action]; pure.
- ``aws``        the only module that talks to AWS: readers, the applier, retries configured once.
- ``reconciler`` observe -> desire -> plan -> act -> report, for one endpoint.
- ``messages``   the reconcile request carried on the queue.
- ``observability`` the shared structured logger and EMF metrics.
"""
