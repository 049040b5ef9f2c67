def process_docs(dataset):
    return dataset.filter(lambda doc: doc["answer"] is not None)
