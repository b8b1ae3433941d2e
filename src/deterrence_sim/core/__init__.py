"""Pure NumPy math of the model: no Mesa, no Hydra, no I/O. Each function is vectorised."""
