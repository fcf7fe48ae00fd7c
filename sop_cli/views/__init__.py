"""View-models: plain, frozen data that actions hand to the renderers."""
