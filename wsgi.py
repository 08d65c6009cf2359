from quote import create_app; app = create_app()
