"""Data: generate a series, pick a bundled example or upload a CSV; then split it."""

import math

import streamlit as st

from lstm_core.config.settings import LIMITS, DataMode
from lstm_core.data.csv.load import DECIMAL_RULES, DUPLICATE_RULES, MISSING_RULES, CsvPreview
from lstm_core.data.examples import EXAMPLES, example_at
from lstm_core.data.series import GENERATORS, Param
from lstm_core.errors import DataError
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.plan import plan, time_axis
from ui.session import Dataset, Upload, bound, config_field, session
from ui.widgets import MODE_LABELS, next_step, sentence, show_problems

PARAM_COLUMNS = 3
# The upload's cleaning choices: label, SourceConfig field, options, how an option reads.
CLEANING = (
    ("Repeated times", "duplicates", DUPLICATE_RULES, str),
    ("Missing values", "missing", MISSING_RULES, str),
    ("Resample", "resample", (None, "auto"), {None: "keep as is", "auto": "to the usual step"}.get),
    ("Decimal mark", "decimal", DECIMAL_RULES, str),
)
DAY_ORDER = ("Dates read as", "dayfirst", (None, True, False),
             {None: "(choose)", True: "day first", False: "month first"}.get)


def _number_step(param: Param) -> float:
    """A tenth of the default's order of magnitude: 0.1 for 1.0, 1 for 50, 0.1 for 0."""
    magnitude = abs(float(param.default))
    return 10.0 ** (math.floor(math.log10(magnitude)) - 1) if magnitude else 0.1


def param_widget(generator: str, param: Param) -> None:
    value = (GENERATORS[generator].defaults() | session().config.source.params)[param.name]

    def put(new: object) -> None:
        session().config.source.params[param.name] = new

    options = bound(f"param.{generator}.{param.name}", value, put)
    label = param.name.replace("_", " ")
    if param.choices:
        st.selectbox(label, param.choices, help=param.help, **options)
    elif param.kind is int:
        st.number_input(label, min_value=int(param.minimum), max_value=int(param.maximum), step=1,
                        help=param.help, **options)
    elif param.kind is float:
        st.number_input(label, min_value=param.minimum, max_value=param.maximum,
                        step=_number_step(param), format="%g", help=param.help, **options)
    else:
        st.text_input(label, help=param.help, **options)


def generate_section() -> None:
    current = session()
    generator = current.config.source.generator
    st.selectbox("Generator", list(GENERATORS), help=HELP["generator"],
                 format_func=lambda name: f"{name}: {GENERATORS[name].description}",
                 **bound("data.generator", generator, current.use_generator))
    columns = st.columns(PARAM_COLUMNS)
    for index, param in enumerate(GENERATORS[generator].params):
        with columns[index % PARAM_COLUMNS]:
            param_widget(generator, param)


def example_section() -> None:
    current = example_at(session().config.source.csv_path) or next(iter(EXAMPLES))
    st.selectbox("Example", list(EXAMPLES), format_func=lambda name: EXAMPLES[name].title,
                 help=HELP["example"], **bound("data.example", current, session().use_example))
    example = EXAMPLES[current]
    st.caption(example.description)
    applied = ", ".join(f"{k} {v}" for k, v in example.settings.items())
    st.caption(f"Applied settings that suit it: {applied}; and a horizon that fits it: "
               f"{session().config.horizon} steps.")


def take_upload() -> None:
    """The uploader's callback: keep the file and its suggested columns, or say why not."""
    file, current = st.session_state["data.uploader"], session()
    if file is None:
        current.drop_upload()
        return
    try:
        current.use_upload(Upload(file.name, file.getvalue()))
    except DataError as exc:  # the uploader holds the refused file now: the one before is gone too
        current.drop_upload()
        current.data.upload_error.put(str(exc))


def column_pickers(found: CsvPreview) -> None:
    source = session().config.source
    left, middle, right = st.columns(3)
    with left:
        st.selectbox("Target column", found.numeric, help=HELP["target"],
                     **config_field("source.target"))
    with middle:
        st.selectbox("Time column", [None, *found.columns], help=HELP["date_col"],
                     format_func=lambda c: "(none: file order)" if c is None else c,
                     **config_field("source.date_col"))
    with right:
        others = [c for c in found.numeric if c not in (source.target, source.date_col)]
        source.features = [c for c in source.features if c in others]
        st.multiselect("Feature columns", others, help=HELP["features"],
                       **config_field("source.features"))


def cleaning_options(found: CsvPreview | None) -> None:
    """The cleaning choices; ``found`` None when the file could not be read with them (open, then:
    another decimal mark may read it)."""
    ambiguous = found is not None and found.dates_ambiguous
    choices = CLEANING + ((DAY_ORDER,) if ambiguous else ())
    with st.expander("Cleaning options", expanded=ambiguous or found is None):
        for column, (label, name, options, shown) in zip(st.columns(len(choices)), choices, strict=True):
            with column:
                # A None option shows as the placeholder while chosen: name it as the option reads.
                st.selectbox(label, options, format_func=shown, help=HELP[name], placeholder=shown(None),
                             **config_field(f"source.{name}"))


def upload_section() -> None:
    st.file_uploader("CSV file", type=["csv", "txt", "tsv"], key="data.uploader", on_change=take_upload,
                     help=HELP["upload"])
    current = session()
    error = current.data.upload_error.take()
    if error:
        show_problems([error])
    upload = current.data.upload
    if upload is None:
        st.info("Upload a CSV file with a header row to use your own data.")
        return
    try:
        found = current.preview(upload)
    except DataError:  # read with the decimal mark chosen, the file gives no series: the loading's
        cleaning_options(None)  # error says why, below
        return
    if current.dataset() is not None:  # a file the loading refuses gets its error, and no data line
        st.text(f"Using {upload.name}: {found.rows:,} rows; " + "; ".join(found.notes))
        if current.data.fitted:
            st.caption(sentence(current.data.fitted))
    column_pickers(found)
    cleaning_options(found)
    with st.expander("First rows of the file"):
        st.dataframe(found.head, hide_index=True)


def split_section(data: Dataset) -> None:
    st.subheader("2. Split into training, validation and test")
    left, right = st.columns(2)
    low, high = LIMITS["val_share"]
    with left:
        st.slider("Validation share", low, high, step=0.05, format="percent", help=HELP["val_share"],
                  **config_field("val_share"))
    low, high = LIMITS["test_share"]
    with right:
        st.slider("Test share", low, high, step=0.05, format="percent", help=HELP["test_share"],
                  **config_field("test_share"))
    config = session().config
    show_problems(p for p in config.problems() if "share" in p)  # the sliders' own problems
    split = plan(data.series, config)
    st.plotly_chart(plots.series_figure(time_axis(data.series), data.series.values, data.series.name,
                                        split))


def show_dataset() -> Dataset | None:
    current = session()
    data = current.dataset()
    if data is None:
        waiting_for_upload = current.data.mode == DataMode.UPLOAD and current.data.upload is None
        if not waiting_for_upload:
            show_problems([current.dataset_error() or "the series could not be loaded"])
        return None
    report = data.series.report
    if report is not None:
        with st.expander("What loading found and did", expanded=bool(report.actions or report.warnings)):
            st.code("\n".join(report.lines()), language=None, wrap_lines=True)
    return data


SECTIONS = {DataMode.GENERATE: generate_section, DataMode.EXAMPLE: example_section,
            DataMode.UPLOAD: upload_section}

require_entry()
st.title("Data")
st.caption("Step 1 of 4: choose the series the LSTM will learn, and how it is split.")
st.subheader("1. Choose a series")
mode = session().data.mode
st.segmented_control("Source", list(DataMode), required=True, format_func=MODE_LABELS.get,
                     help=HELP["source"], **bound("data.mode", mode, session().choose_mode))
SECTIONS[mode]()
dataset = show_dataset()
if dataset is not None:
    split_section(dataset)
    next_step("model", "Next: shape the model and train it")
