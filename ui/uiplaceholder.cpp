// The desktop UI lands with issue 6 (SPEC §8); until then perflab_ui carries no code.
namespace perflab::ui {
int placeholder() { return 0; }
} // namespace perflab::ui
