"""The maps: boundary geometry, the metric registry (metrics), colour classes, the choropleth figure,
labels, words and tables around a map, population figures, and build, which puts one map together."""
