"""Functions of the JWST pipeline (jwst 3.0.0) ported to jwstmodels, for the typing contract of issue 16.

Each body is jwst's own, unchanged but for its imports (``from jwstmodels import dqflags`` for the
reference's ``dqflags``; ``datamodels.GuiderRawModel`` is jwstmodels' class), and each parameter is annotated
with the type its docstring gives, as a jwstmodels class. Where the docstring names only the generic base
(``JwstDataModel``) but the body needs arrays, the annotation is the jwstmodels family or classes the step is
given in the pipeline (gain_scale: the rate and rateints products, ``ImageModel | CubeModel``; firstframe and
lastframe: ``RampLike``).

``tests/typing/test_ported_steps_typing.py`` runs pyright in basic mode (the mode a project adopting types
starts with) on this file: the data models must give it no false positives. It lives outside
``tests/typing`` because the bodies are jwst's code, not ours to make strict-clean: the project's strict
pyright and mypy runs do not cover it. ``main()`` runs the functions on small models.
"""

import logging

import numpy as np

import jwstmodels as datamodels
from jwstmodels import (
    CubeModel,
    GuiderRawModel,
    ImageModel,
    RampModel,
    SuperBiasModel,
    SuperstripeRampModel,
    dqflags,
)
from jwstmodels.families import RampLike

log = logging.getLogger(__name__)


# jwst/gain_scale/gain_scale.py
def gain_scale_do_correction(
    output_model: ImageModel | CubeModel, gain_factor: float
) -> ImageModel | CubeModel:
    """
    Rescale all integrations in an exposure by gain factor.

    Parameters
    ----------
    output_model : `~stdatamodels.jwst.datamodels.JwstDataModel`
        Input datamodel to be corrected.
    gain_factor : float
        Scale gain factor.
    """
    # Apply the gain factor to the SCI and ERR arrays
    log.info(f"Rescaling by {gain_factor}")
    output_model.data *= gain_factor
    output_model.err *= gain_factor

    # Apply the square of the gain factor to the variance arrays,
    # if they exist
    if (output_model.var_poisson is not None and np.size(output_model.var_poisson)) > 0:
        output_model.var_poisson *= gain_factor**2

    if (output_model.var_rnoise is not None and np.size(output_model.var_rnoise)) > 0:
        output_model.var_rnoise *= gain_factor**2

    # Set step status info
    output_model.meta.exposure.gain_factor = gain_factor
    output_model.meta.cal_step.gain_scale = "COMPLETE"

    return output_model


# jwst/group_scale/group_scale.py
def group_scale_do_correction(model: RampModel) -> None:
    """
    Rescale all groups in an exposure by FRMDIVSR/NFRAMES.

    Parameters
    ----------
    model : `~stdatamodels.jwst.datamodels.RampModel`
        Science data to be corrected. Model is modified in place.
    """
    # Get the meta data values that we need
    nframes = model.meta.exposure.nframes
    frame_divisor = model.meta.exposure.frame_divisor
    if nframes is None or frame_divisor is None:
        log.warning("Necessary meta data not found")
        log.warning("Step will be skipped")
        model.meta.cal_step.group_scale = "SKIPPED"
        return

    log.info(f"NFRAMES={nframes}, FRMDIVSR={frame_divisor}")
    log.info(f"Rescaling all groups by {frame_divisor}/{nframes}")

    # Apply the rescaling to the entire data array
    scale = float(frame_divisor) / nframes
    model.data *= scale
    model.meta.cal_step.group_scale = "COMPLETE"

    return


# jwst/superbias/bias_sub.py
def subtract_bias(output: RampModel, bias: SuperBiasModel) -> RampModel:
    """
    Subtract the superbias image from each group of each integration in the science data.

    Parameters
    ----------
    output : stdatamodels.jwst.datamodels.ramp.RampModel
        Input science data
    bias : stdatamodels.jwst.datamodels.superbias.SuperBiasModel
        Superbias image data
    """
    # Combine the science and superbias DQ arrays
    output.pixeldq |= bias.dq

    # Expand bias data to match science data if needed
    num_superstripe = getattr(output.meta.subarray, "num_superstripe", None)
    if num_superstripe is not None and num_superstripe > 0:
        # Bias data is 3D, (nstripe, ny, nx)
        nints, ngroups, _, _ = output.data.shape
        bias_data = bias.data[:, np.newaxis, :, :].repeat(ngroups, axis=1)
        bias_data = np.tile(bias_data, reps=(nints // num_superstripe, 1, 1, 1))
    else:
        # Bias data is 2D, (ny, nx)
        bias_data = bias.data

    # Subtract the superbias image from all groups and integrations
    # of the science data
    output.data -= bias_data

    # If ZEROFRAME is present, subtract the super bias.  Zero values
    # indicate bad data, so should be kept zero.
    if output.meta.exposure.zero_frame:
        wh_zero = np.where(output.zeroframe == 0.0)
        if bias_data.ndim == 4:
            # use the first group from the bias data for superstripe
            output.zeroframe -= bias_data[:, 0, :, :]
        else:
            output.zeroframe -= bias_data
        output.zeroframe[wh_zero] = 0.0  # Zero values indicate unusable data

    return output


# jwst/lastframe/lastframe_sub.py
def lastframe_do_correction(output: RampLike) -> RampLike:
    """
    Set data quality flag of the final group in an integration to DO_NOT_USE.

    Parameters
    ----------
    output : `~stdatamodels.jwst.datamodels.JwstDataModel`
        Science data to be corrected
    """
    # Save some data params for easy use later
    sci_ngroups = output.data.shape[1]

    # Update the step status, and if ngroups > 2, set all of the GROUPDQ in
    # the final group to 'DO_NOT_USE'
    if sci_ngroups > 2:
        output.groupdq[:, -1, :, :] |= dqflags.group["DO_NOT_USE"]
        log.debug("LastFrame Sub: resetting GROUPDQ in last frame to DO_NOT_USE")
        output.meta.cal_step.lastframe = "COMPLETE"
    else:  # too few groups
        log.warning("Too few groups to apply correction")
        log.warning("Step will be skipped")
        output.meta.cal_step.lastframe = "SKIPPED"

    return output


# jwst/firstframe/firstframe_sub.py
def firstframe_do_correction(output: RampLike, bright_use_group1: bool = False) -> RampLike:
    """
    Set data quality of the first group in an integration to DO_NOT_USE.

    Parameters
    ----------
    output : `~stdatamodels.jwst.datamodels.JwstDataModel`
        Science data to be corrected
    bright_use_group1 : bool
        If True, setting first group data quality flag to DO_NOT_USE will not be
        done for pixels that have the saturation flag set for group 3.
    """
    # Save some data params for easy use later
    sci_ngroups = output.data.shape[1]

    # Update the step status, and if ngroups > 3, set all GROUPDQ in
    # the first group to 'DO_NOT_USE'
    if sci_ngroups > 3:
        if bright_use_group1:
            # do not set DO_NOT_USE in the case where saturation happens in
            # group3 as in this case the first frame effect is small compared to the
            # signal in group2-group1
            svals = (output.groupdq[:, 2, :, :] & dqflags.group["SATURATED"]) > 0
            tvals = output.groupdq[:, 0, :, :]
            tvals[~svals] |= dqflags.group["DO_NOT_USE"]

            # also set a FLUX_ESTIMATED flag in the 2D pixeldq image
            # for any group1 pixels that were kept
            any_kept = np.any(svals, axis=0)
            output.pixeldq[any_kept] |= dqflags.pixel["FLUX_ESTIMATED"]

            any_good_kept = (output.pixeldq[any_kept] & dqflags.pixel["DO_NOT_USE"]) == 0
            log.info(
                "Number of usable bright pixels with first group "
                f"not set to DO_NOT_USE: {np.sum(any_good_kept)}"
            )
        else:
            output.groupdq[:, 0, :, :] |= dqflags.group["DO_NOT_USE"]

        log.debug("FirstFrame Sub: resetting GROUPDQ in first frame to DO_NOT_USE")
        output.meta.cal_step.firstframe = "COMPLETE"
    else:  # too few groups
        log.warning("Too few groups to apply correction")
        log.warning("Step will be skipped")
        output.meta.cal_step.firstframe = "SKIPPED"

    return output


# jwst/dq_init/dq_initialization.py
def check_dimensions(input_model: RampModel | SuperstripeRampModel | GuiderRawModel) -> None:
    """
    Check the input model DQ array dimensions.

    Parameters
    ----------
    input_model : `~stdatamodels.jwst.datamodels.RampModel` or \
                  `~stdatamodels.jwst.datamodels.SuperstripeRampModel`, or \
                  `~stdatamodels.jwst.datamodels.GuiderRawModel`
        Input datamodel; updated in place.
    """
    input_shape = input_model.data.shape
    if isinstance(input_model, datamodels.GuiderRawModel):
        default_dq = input_model.get_default("dq")
        if input_model.dq is None or input_model.dq.shape != default_dq.shape:
            log.warning("Setting input DQ to default array")
            input_model.dq = default_dq

    else:  # RampModel or SuperstripeRampModel
        default_pixeldq = input_model.get_default("pixeldq")
        if input_model.pixeldq is None or input_model.pixeldq.shape != default_pixeldq.shape:
            log.warning("Setting input pixel DQ to default array")
            input_model.pixeldq = default_pixeldq

        # Perform the same check for the input model groupdq array
        # This array should always match the input data
        if input_model.groupdq is None or input_model.groupdq.shape != input_shape:
            log.warning("Setting input group DQ to default array")
            input_model.groupdq = input_model.get_default("groupdq")


def main() -> None:
    rate = ImageModel(data=np.full((4, 4), 3.0, np.float32), err=np.ones((4, 4), np.float32))
    rate.var_poisson = np.full((4, 4), 0.5, np.float32)
    gain_scale_do_correction(rate, 2.0)
    err, var_poisson = rate.err, rate.var_poisson
    assert err is not None and var_poisson is not None
    assert float(rate.data[0, 0]) == 6.0 and float(err[0, 0]) == 2.0 and float(var_poisson[0, 0]) == 2.0
    assert rate.meta.cal_step.gain_scale == "COMPLETE"

    ramp = RampModel((1, 4, 4, 4))
    ramp.data[:] = 10.0
    ramp.meta.exposure.nframes = 5
    ramp.meta.exposure.frame_divisor = 4
    group_scale_do_correction(ramp)
    assert float(ramp.data[0, 0, 0, 0]) == 8.0

    dq = np.zeros((4, 4), np.uint32)
    dq[0, 0] = 1
    bias = SuperBiasModel(data=np.full((4, 4), 3.0, np.float32), dq=dq)
    ramp.meta.exposure.zero_frame = True
    ramp.zeroframe = np.full((1, 4, 4), 10.0, np.float32)
    subtract_bias(ramp, bias)
    zeroframe = ramp.zeroframe
    assert zeroframe is not None and float(zeroframe[0, 1, 1]) == 7.0
    assert float(ramp.data[0, 0, 0, 0]) == 5.0 and int(ramp.pixeldq[0, 0]) == 1

    lastframe_do_correction(ramp)
    firstframe_do_correction(ramp, bright_use_group1=True)
    assert int(ramp.groupdq[0, -1, 1, 1]) == dqflags.group["DO_NOT_USE"]
    assert ramp.meta.cal_step.firstframe == "COMPLETE"

    check_dimensions(ramp)
    assert ramp.pixeldq.shape == (4, 4) and ramp.groupdq.shape == (1, 4, 4, 4)


if __name__ == "__main__":
    main()
