"""SharedParams: a net's ``params`` dict, whose arrays its layers hold too.

In the seeds, ``net.params["W1"]`` and ``net.layers["Affine1"].W`` are one array, so an optimizer that
updates ``params[key]`` in place moves the layer at once.  A plain dict breaks that
silently on ``params["W1"] = new_array``: the layer keeps the old array.  SharedParams copies the new
values into the shared array instead, and refuses a new value of another shape with a sentence.
"""
import numpy as np

from .errors import CourseValueError, as_number_array


class SharedParams(dict):
    """``params[key] -= step`` changes the shared array; ``params[key] = array`` copies into it (same shape)."""

    def __setitem__(self, key, value):
        if key in self and value is not self[key]:
            current = self[key]
            value = as_number_array(value, f"params['{key}']", "the new value")
            if np.shape(value) != current.shape:
                raise CourseValueError(
                    f"params['{key}'] has shape {current.shape}; the new value has shape {np.shape(value)}. "
                    "The layers share this array, so a new value must have the same shape"
                )
            current[...] = value
            return
        super().__setitem__(key, value)
