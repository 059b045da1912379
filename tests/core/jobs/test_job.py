"""The background training job: progress, stop within an epoch, one run at a time, errors kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lstm_core import ExperimentConfig, generate
from lstm_core.jobs.job import FAILED, FINISHED, IDLE, RUNNING, JobBusyError, JobSnapshot, TrainingJob
from lstm_core.runs.experiment import STAGES
from lstm_core.runs.progress import EpochProgress
from tests.waiting import wait_until

TIMEOUT = 120


def tiny(epochs: int) -> ExperimentConfig:
    return ExperimentConfig(window=5, units=[4], epochs=epochs, patience=0)


@pytest.fixture
def job() -> Iterator[TrainingJob]:
    made = TrainingJob()
    yield made
    made.stop()
    made.join(TIMEOUT)


def wait_for_epoch(job: TrainingJob, epoch: int) -> None:
    """Wait until ``job`` has trained ``epoch`` epochs; fail at once if it ends before."""
    wait_until(lambda: job.snapshot().epoch >= epoch or not job.running, TIMEOUT,
               message=lambda: f"epoch {job.snapshot().epoch} of {epoch}")
    assert job.snapshot().epoch >= epoch, job.snapshot().error


def test_a_new_job_is_idle() -> None:
    snap = TrainingJob().snapshot()
    assert (snap.state, snap.epoch, snap.eta, snap.best_epoch) == (IDLE, 0, None, None)
    assert snap.state is IDLE


def test_progress_is_published_epoch_by_epoch(job: TrainingJob) -> None:
    stages = []

    def ended() -> bool:
        stages.append(job.snapshot().stage)
        return not job.running

    job.start(tiny(3), generate("sine", length=200))
    wait_until(ended, TIMEOUT, interval=0.01)
    snap = job.snapshot()
    assert snap.state is FINISHED and snap.error is None
    assert [e.epoch for e in snap.epochs] == [1, 2, 3]
    assert snap.fraction == 1.0 and snap.elapsed > 0
    assert "training" in stages and set(stages) <= {"starting", "", *STAGES}
    assert job.result.training.epochs_run == 3
    assert job.result.training.loss == [e.loss for e in snap.epochs]


def test_the_job_trains_on_a_copy_of_the_config(job: TrainingJob) -> None:
    config = tiny(2)
    job.start(config, generate("sine", length=200))
    config.epochs = 50
    job.join(TIMEOUT)
    assert job.config.epochs == 2 and job.result.training.epochs_run == 2


def test_stop_ends_within_an_epoch_and_keeps_model_and_history(job: TrainingJob) -> None:
    job.start(tiny(1000), generate("sine", length=2000))
    wait_for_epoch(job, 2)
    job.stop()
    asked_at = job.snapshot().epoch  # epochs finished when the stop was asked, or one more
    assert job.join(TIMEOUT)
    training = job.result.training
    assert job.snapshot().state == FINISHED
    assert training.stop_reason == "stopped"
    assert training.epochs_run <= asked_at + 1
    assert len(training.loss) == len(training.val_loss) == training.epochs_run
    assert job.result.weights and len(job.result.forecast) == job.config.horizon


def test_a_second_start_is_refused_while_one_runs(job: TrainingJob) -> None:
    series = generate("sine", length=2000)
    job.start(tiny(1000), series)
    with pytest.raises(JobBusyError, match="already running"):
        job.start(tiny(1), series)
    job.stop()
    job.join(TIMEOUT)
    job.start(tiny(1), generate("sine", length=200))  # once it has ended, a new run may start
    job.join(TIMEOUT)
    assert job.result.training.epochs_run == 1


def test_a_bad_setting_is_kept_as_a_message(job: TrainingJob) -> None:
    job.start(ExperimentConfig(window=500), generate("sine", length=200))
    job.join(TIMEOUT)
    snap = job.snapshot()
    assert snap.state == FAILED and job.result is None
    assert snap.error.startswith("the window (500 steps) is too long")


def test_an_unexpected_exception_is_kept_as_a_message() -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    failing = TrainingJob(runner=broken)
    failing.start(tiny(1), generate("sine", length=200))
    failing.join(TIMEOUT)
    assert failing.snapshot().state is FAILED
    assert failing.snapshot().error == "the training failed unexpectedly: RuntimeError: disk on fire"


def epoch(number: int, loss: float, val_loss: float | None, seconds: float = 2.0) -> EpochProgress:
    return EpochProgress(number, 0, loss, val_loss, seconds, seconds * number)


def snapshot(*epochs: EpochProgress, total: int = 10) -> JobSnapshot:
    return JobSnapshot(RUNNING, "training", total, tuple(epochs), 6.0, False, None)


def test_eta_assumes_the_remaining_epochs_take_the_mean_time() -> None:
    snap = snapshot(epoch(1, 1.0, 1.0, 1.0), epoch(2, 0.5, 0.6, 3.0))
    assert snap.eta == pytest.approx(2.0 * 8)
    assert snap.fraction == pytest.approx(0.2)


def test_best_epoch_follows_the_validation_loss_and_skips_nan() -> None:
    assert snapshot(epoch(1, 1.0, 0.5), epoch(2, 0.1, 0.7), epoch(3, 0.1, float("nan"))).best_epoch == 1
    assert snapshot(epoch(1, 1.0, None), epoch(2, 0.4, None)).best_epoch == 2


def test_start_work_runs_any_training_with_the_same_progress_and_stop() -> None:
    def count(progress, stop, on_stage):
        on_stage("counting")
        for number in range(1, 1001):
            progress(epoch(number, 1.0 / number, None))
            if stop.wait(0.01):
                return f"stopped at {number}"
        return "done"

    counting = TrainingJob()
    counting.start_work(count, total_epochs=1000)
    with pytest.raises(JobBusyError, match="already running"):
        counting.start_work(count, total_epochs=1)
    wait_for_epoch(counting, 3)
    counting.stop()
    assert counting.join(TIMEOUT)
    snap = counting.snapshot()
    assert snap.state == FINISHED and snap.total_epochs == 1000
    assert counting.result == f"stopped at {snap.epoch}" and counting.config is None



def test_a_job_out_of_the_queue_before_its_worker_starts_says_a_slot_is_starting() -> None:
    """Nothing else runs and the first worker is loading TensorFlow: not 'waiting for a free
    slot', which reads as if others held them."""
    from lstm_core.jobs.job import QUEUED, WORKER_STARTING

    def waiting(position: int | None) -> JobSnapshot:
        return JobSnapshot(RUNNING, QUEUED, 10, (), 1.0, False, None, queue_position=position)

    assert waiting(None).activity == WORKER_STARTING and "starting" in WORKER_STARTING
    assert waiting(2).activity == f"{QUEUED} (number 2 in the queue)"
    assert snapshot().activity == "training"
