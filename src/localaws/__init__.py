"""Local AWS for tests and the demo: moto, a fidelity layer that makes it behave like AWS, and helpers."""
