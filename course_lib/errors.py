"""Clear error messages shared by gates, layers and graphs."""


class BackwardBeforeForwardError(RuntimeError):
    """Raised when ``backward`` runs on a gate or layer whose ``forward`` has not run yet."""


def require_forward(layer, attribute):
    """Raise a clear error if ``layer.<attribute>`` was never set by ``forward``."""
    if getattr(layer, attribute, None) is None:
        name = type(layer).__name__
        raise BackwardBeforeForwardError(
            f"{name}.backward() was called before {name}.forward(): run forward first, "
            f"so the layer can remember what backward needs (self.{attribute})."
        )
