"""The deployment: its lifecycle, the deployment form, activity log and the
enhanced strand (guidance sections 5, 7, 8 and 9)."""
